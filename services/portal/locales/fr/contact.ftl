# contact and passwords: verifying an email or phone, changing them, the consent to messages,
# changing a password and resetting a forgotten one.

## Links from other pages
sign-in-forgot-link = Mot de passe oublié ?
account-link-contact = Adresse e-mail, téléphone et messages
account-link-password = Changer de mot de passe
inbox-preferences-contacts = Les courriels et SMS ne partent que vers une adresse ou un numéro vérifié, et seulement si vous l’acceptez :

## Shared fields
field-new_password-label = Nouveau mot de passe
field-new_password-hint = Au moins 10 caractères. Une phrase facile à retenir convient très bien.
field-new_password-missing = Saisissez un nouveau mot de passe.
field-new_password-invalid = Le mot de passe doit compter au moins 10 caractères.
field-new_password_again-label = Le nouveau mot de passe, encore une fois
field-new_password_again-different = Les deux mots de passe ne sont pas identiques : saisissez deux fois le même.
field-current_password-label = Mot de passe actuel
field-current_password-missing = Saisissez votre mot de passe actuel.
field-code-label = Code reçu par SMS
field-code-hint = Les chiffres du SMS, par exemple 123456.
field-code-missing = Saisissez le code reçu par SMS.
field-code-invalid = Ce code n’est pas bon, a déjà servi ou a expiré. Vérifiez-le, ou demandez un nouveau code.

## Forgotten password
forgot-title = Mot de passe oublié
forgot-lead = Indiquez l’adresse e-mail ou le numéro de téléphone de votre compte. S’il est vérifié, nous y envoyons un lien (par e-mail) ou un code (par SMS) pour choisir un nouveau mot de passe.
forgot-submit = Recevoir un lien ou un code
forgot-back-to-sign-in = Retour à la connexion
forgot-sent-title = Consultez vos messages
forgot-sent-email = Si un compte a cette adresse e-mail, un message est en route avec un lien pour choisir un nouveau mot de passe. Le lien ne sert qu’une fois et expire bientôt.
forgot-sent-only-verified = Seules les adresses et numéros vérifiés reçoivent ce message. Rien reçu après quelques minutes ? Regardez dans les indésirables, ou recommencez.
forgot-again = Demander un nouveau lien ou un nouveau code
forgot-identifier-missing = Saisissez l’adresse e-mail ou le numéro de téléphone de votre compte.

## Reset
reset-title = Choisir un nouveau mot de passe
reset-code-sent = Si un compte a ce numéro, un SMS est en route avec un code.
reset-lead-code = Saisissez le numéro de téléphone de votre compte, le code reçu par SMS et votre nouveau mot de passe.
reset-lead-link = Choisissez votre nouveau mot de passe. Vous serez déconnecté partout, puis vous vous connecterez avec ce mot de passe.
reset-submit = Enregistrer le nouveau mot de passe
reset-phone-missing = Saisissez le numéro de téléphone de votre compte.
reset-rule-password-reset-invalid = Ce lien ou ce code n’est plus valable : il a déjà servi, a expiré ou est inexact. Demandez-en un nouveau.
reset-code-invalid = Ce code n’est pas bon, a déjà servi ou a expiré. Vérifiez-le, ou demandez un nouveau code.
reset-done-title = Votre mot de passe est changé
reset-done-signed-out = Vous avez été déconnecté partout, sur cet appareil comme sur les autres.
reset-done-lead = Connectez-vous avec votre nouveau mot de passe.
reset-done-sign-in = Se connecter

## Change password
password-title = Changer de mot de passe
password-lead = Pour votre sécurité, saisissez d’abord votre mot de passe actuel. Toutes vos autres sessions seront déconnectées ; vous restez connecté ici.
password-submit = Changer le mot de passe
password-changed = Votre mot de passe est changé. Toutes vos autres sessions ont été déconnectées ; vous restez connecté ici.
password-wrong-current = Le mot de passe actuel est incorrect.
password-rule-password-wrong = Le mot de passe actuel est incorrect.

## Contact details
contact-title = Adresse e-mail, téléphone et messages
contact-lead = Nous ne vous écrivons qu’à une adresse e-mail ou un numéro de téléphone vérifié. Vérifiez-les ici, changez-les, et choisissez si vous voulez recevoir nos messages.
contact-address = Adresse
contact-number = Numéro
contact-state = État
contact-verified = Vérifié
contact-not-verified = Pas encore vérifié
contact-email-none = Votre compte n’a pas d’adresse e-mail.
contact-phone-none = Votre compte n’a pas de numéro de téléphone.
contact-send-email = M’envoyer le lien de vérification
contact-send-phone = M’envoyer un code par SMS
contact-confirm-submit = Vérifier mon numéro
contact-add-email = Ajouter une adresse e-mail
contact-change-email = Changer d’adresse e-mail
contact-add-phone = Ajouter un numéro de téléphone
contact-change-phone = Changer de numéro de téléphone
contact-change-submit = Enregistrer et envoyer la vérification
contact-wrong-password = Le mot de passe est incorrect.
contact-rule-password-wrong = Le mot de passe est incorrect.
contact-rule-contact-missing = Votre compte n’a pas encore cette coordonnée : ajoutez-la d’abord.
contact-rule-contact-already-verified = C’est déjà vérifié : rien à faire.
contact-rule-contact-secret-invalid = Ce code n’est pas bon, a déjà servi ou a expiré. Vérifiez-le, ou demandez un nouveau code.
contact-already-exists = Cette adresse ou ce numéro ne peut pas être utilisé pour votre compte.
field-new_email-label = Nouvelle adresse e-mail
field-new_email-hint = Par exemple nom@example.ma. Elle sera à vérifier : nous y envoyons un lien.
field-new_email-missing = Saisissez la nouvelle adresse e-mail.
field-new_email-invalid = Saisissez une adresse e-mail valide, par exemple nom@example.ma.
field-email_password-label = Votre mot de passe, pour confirmer
field-email_password-missing = Saisissez votre mot de passe pour confirmer.
field-new_phone-label = Nouveau numéro de téléphone
field-new_phone-hint = Par exemple 0612345678. Il sera à vérifier : nous y envoyons un code.
field-new_phone-missing = Saisissez le nouveau numéro de téléphone.
field-new_phone-invalid = Saisissez un numéro de téléphone marocain valide, par exemple 0612345678.
field-phone_password-label = Votre mot de passe, pour confirmer
field-phone_password-missing = Saisissez votre mot de passe pour confirmer.
contact-messages-title = Recevoir des messages sur votre participation
contact-messages-explain = Quand une proposition reçoit une réponse, qu’une pétition que vous avez signée avance ou qu’une formation où vous êtes inscrit change, vous le trouvez toujours dans vos messages sur la plateforme. Si vous le souhaitez, nous vous l’écrivons aussi par e-mail ou par SMS, mais seulement à une adresse ou un numéro vérifié. Vous pouvez changer d’avis à tout moment.
contact-messages-legend = Je souhaite recevoir ces messages
contact-messages-email = par e-mail
contact-messages-sms = par SMS
contact-messages-save = Enregistrer mon choix
contact-done-sent-email = Un lien de vérification est en route vers votre adresse e-mail. Ouvrez-le pour la vérifier.
contact-done-sent-phone = Un code est en route par SMS. Saisissez-le ci-dessous.
contact-done-confirmed = Votre numéro de téléphone est vérifié.
contact-done-changed-email = Votre adresse e-mail est changée. Un lien de vérification y est envoyé.
contact-done-changed-phone = Votre numéro de téléphone est changé. Un code de vérification y est envoyé.
contact-done-messages = Votre choix est enregistré.

## The emailed link
verify-link-title = Vérifier votre adresse e-mail
verify-link-lead = Confirmez que cette adresse e-mail est bien la vôtre : nous pourrons ensuite vous écrire à propos de votre participation, si vous le souhaitez.
verify-link-submit = Confirmer mon adresse e-mail
verify-link-not-me = Vous n’avez rien demandé ? Ne faites rien : l’adresse reste non vérifiée.
verify-link-failed-title = Ce lien ne fonctionne plus
verify-link-invalid = Ce lien a déjà servi, a expiré ou est incomplet.
verify-link-ask-again = Connectez-vous et demandez un nouveau lien depuis la page de vos coordonnées.
verify-link-sign-in = Se connecter pour demander un nouveau lien
verify-link-done-title = Votre adresse e-mail est vérifiée
verify-link-done = C’est fait : votre adresse e-mail est vérifiée.
verify-link-done-lead = Vous pouvez choisir de recevoir nos messages par e-mail sur la page de vos coordonnées.
