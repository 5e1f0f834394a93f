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
account-updated = Vos modifications sont enregistrées.
account-back = Retour à mon compte
account-taking-part = Ma participation
account-link-registrations = Mes inscriptions aux formations
account-link-petitions = Mes pétitions
account-link-associations = Mes associations
account-settings = Paramètres du compte
account-link-profile = Nom et langue
account-link-statistics = Informations statistiques
account-link-export = Télécharger une copie de mes données
account-link-delete = Supprimer mon compte

## Profile
profile-title = Nom et langue
profile-language-legend = Langue de correspondance
profile-language-hint = La langue dans laquelle nous vous écrivons et affichons la plateforme quand vous êtes connecté.
profile-language-missing = Choisissez une langue.
profile-save = Enregistrer
profile-display_name-missing = Saisissez le nom qui accompagnera vos contributions.

## Statistics
statistics-title = Informations statistiques
statistics-notice = Si vous le souhaitez, vous pouvez nous indiquer votre genre, votre tranche d’âge et votre province de résidence. Ces informations servent uniquement à des statistiques agrégées montrant qui participe à la vie publique de la région ; elles ne sont jamais publiées pour une personne. Vous pouvez retirer votre accord à tout moment : elles sont alors effacées.
statistics-share-legend = Acceptez-vous que ces informations servent à des statistiques ?
statistics-share-yes = Oui, j’accepte
statistics-share-no = Non, je refuse (les informations enregistrées sont effacées)
statistics-share-missing = Indiquez si vous acceptez ou non.
statistics-what = Les informations que vous partagez
statistics-what-hint = Chaque champ est facultatif. Rien n’est enregistré sans votre accord ci-dessus.
statistics-gender-legend = Genre
statistics-gender-female = Femme
statistics-gender-male = Homme
statistics-not-said = Je préfère ne pas répondre
statistics-age-label = Tranche d’âge
statistics-age-under-18 = Moins de 18 ans
statistics-age-18-24 = De 18 à 24 ans
statistics-age-25-34 = De 25 à 34 ans
statistics-age-35-44 = De 35 à 44 ans
statistics-age-45-54 = De 45 à 54 ans
statistics-age-55-64 = De 55 à 64 ans
statistics-age-65-plus = 65 ans et plus
statistics-province-label = Province de résidence

## Export
export-title = Télécharger une copie de mes données
export-lead = Vous pouvez télécharger un fichier contenant tout ce que la plateforme conserve à votre sujet :
export-identity = votre compte, vos consentements, les associations que vous représentez et vos mandats dans les instances ;
export-consultation = vos réponses aux consultations, vos propositions et soutiens, vos commentaires, les pétitions déposées ou signées ;
export-training = vos inscriptions aux formations, vos évaluations et vos attestations.
export-format = Le fichier est au format JSON, un format ouvert que de nombreux logiciels savent lire.
export-download = Télécharger mes données

## Delete
delete-title = Supprimer mon compte
delete-lead = La suppression du compte est définitive.
delete-erased = Vos données personnelles sont effacées : nom, adresse e-mail, numéro de téléphone et informations d’identité.
delete-kept = Vos contributions restent, sans votre nom, et les statistiques agrégées ne changent pas.
delete-export-first = Pour garder une copie de vos données, téléchargez-la avant de supprimer :
delete-password-label = Saisissez votre mot de passe pour confirmer
delete-password-missing = Saisissez votre mot de passe pour confirmer la suppression.
delete-wrong-password = Le mot de passe est incorrect.
delete-submit = Supprimer définitivement mon compte
delete-cancel = Annuler et garder mon compte
deleted-title = Votre compte est supprimé
deleted-body = Vos données personnelles ont été effacées et vous êtes déconnecté. Merci pour votre participation.
