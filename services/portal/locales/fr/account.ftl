# account: registering, signing in and out, and the person's own account pages.

## Sign in
sign-in-title = Se connecter
sign-in-submit = Se connecter
sign-in-wrong = L’adresse e-mail, le numéro de téléphone ou le mot de passe est incorrect.
sign-in-too-many = Trop de tentatives de connexion. Patientez un peu puis réessayez.
sign-in-no-account = Pas encore de compte ?
sign-in-register-link = Créer un compte
sign-in-after-register = Si vous aviez déjà un compte avec cette adresse, connectez-vous avec son mot de passe.
field-identifier-label = Adresse e-mail ou numéro de téléphone
field-identifier-hint = Celui que vous avez utilisé pour créer votre compte.
field-identifier-missing = Saisissez votre adresse e-mail ou votre numéro de téléphone.
field-password-label = Mot de passe
field-password-hint = Au moins 10 caractères. Une phrase facile à retenir convient très bien.
field-password-missing = Saisissez votre mot de passe.

## Register
register-title = Créer un compte
register-lead = Avec un compte Tachawor, vous pouvez répondre aux consultations, soutenir des propositions, signer des pétitions et vous inscrire aux formations.
register-submit = Créer le compte
register-have-account = Vous avez un compte ? Connectez-vous
register-privacy = Votre adresse e-mail et votre numéro de téléphone ne servent qu’à vous contacter au sujet de votre participation. Votre nom n’est public que si vous le souhaitez.
register-email-or-phone = Saisissez votre adresse e-mail ou votre numéro de téléphone.
field-display_name-label = Nom affiché
field-display_name-hint = Le nom qui accompagne vos contributions.
field-display_name-missing = Saisissez le nom qui accompagnera vos contributions.
field-display_name-invalid = Le nom doit compter de 2 à 100 caractères.
field-email-label = Adresse e-mail
field-email-hint = Facultatif si vous indiquez un numéro de téléphone.
field-email-invalid = Saisissez une adresse e-mail valide, par exemple nom@example.ma.
field-phone-label = Numéro de téléphone
field-phone-hint = Facultatif si vous indiquez une adresse e-mail. Exemple : 0612345678
field-phone-invalid = Saisissez un numéro de téléphone marocain valide, par exemple 0612345678.
register-password-invalid = Le mot de passe doit compter au moins 10 caractères.

## My account
account-title = Mon compte
account-welcome = Votre compte est créé et vous êtes connecté.
account-verification = Vérification d’identité
account-verified-on = Vérifiée le { $date }
account-not-verified = Pas encore vérifiée
account-how-to-verify = Pour signer des pétitions, votre identité doit être vérifiée : présentez votre carte nationale aux services du Conseil ou dans un point d’accueil.
account-sign-out = Se déconnecter
