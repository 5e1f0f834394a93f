# staff: the staff console of council staff and administrators.

nav-staff = Console du personnel
account-staff = Personnel du Conseil
account-link-staff = Ouvrir la console du personnel

## The console
staff-title = Console du personnel
staff-lead = Les guichets d’où le personnel du Conseil fait vivre la plateforme. Chaque action est vérifiée à nouveau par le service concerné.
staff-nav-label = Guichets du personnel
staff-desk-home = Accueil de la console
staff-desk-home-about = Les guichets du personnel.
staff-desk-accounts = Vérification des comptes
staff-desk-accounts-about = Trouver un compte, vérifier une identité avec la carte nationale et la province, attribuer des rôles (administrateurs).
staff-desk-sessions = Sessions de formation
staff-desk-sessions-about = Les inscriptions en CSV, l’écran d’émargement du lieu avec le code du jour et son QR code, marquer une session comme tenue.
staff-you-admin = Vous êtes administrateur : vous pouvez aussi attribuer des rôles.
staff-you-staff = Vous faites partie du personnel du Conseil.
staff-you-observer = Vous êtes observateur : vous consultez le suivi de l’engagement et le journal d’audit, sans agir.
staff-actions = Actions
staff-choose = Choisir…
staff-refused = Ce n’est pas possible pour le moment (par exemple, la session n’a pas de journée aujourd’hui ou n’est pas encore terminée). Rien n’a été enregistré.
staff-back-to-accounts = Retour aux comptes
staff-back-to-sessions = Retour aux sessions

## Roles
staff-role-citizen = Citoyen ou citoyenne
staff-role-association_representative = Représentant d’association
staff-role-instance_member = Membre d’instance
staff-role-council_staff = Personnel du Conseil
staff-role-administrator = Administrateur
staff-role-observer = Observateur (lecture seule)

## Accounts
staff-accounts-title = Vérification des comptes
staff-accounts-query-label = Rechercher un compte
staff-accounts-query-hint = Début de l’adresse e-mail, du numéro de téléphone ou du nom affiché. Laissez vide pour tous les comptes.
staff-accounts-search = Rechercher
staff-accounts-none = Aucun compte ne correspond à cette recherche.
staff-accounts-caption = Comptes trouvés
staff-accounts-contact = Contact
staff-accounts-roles = Rôles
staff-accounts-verify = Vérifier l’identité
staff-accounts-set-roles = Modifier les rôles
staff-accounts-verified = Le compte est vérifié. Le numéro de la carte nationale est conservé chiffré et ne sera plus affiché.
staff-accounts-roles-saved = Les rôles du compte sont enregistrés. Ils s’appliquent à sa prochaine connexion.

## Verify
staff-verify-title = Vérifier une identité
staff-verify-intro = Comparez la carte nationale présentée en personne avec le compte, puis saisissez son numéro et la province de résidence. Le numéro n’est jamais réaffiché.
staff-verify-submit = Vérifier le compte
field-cin-label = Numéro de la carte nationale (CIN)
field-cin-hint = Une ou deux lettres suivies de chiffres, par exemple AB123456.
staff-verify-cin-missing = Saisissez le numéro de la carte nationale.
field-cin-invalid = Le numéro doit compter une ou deux lettres suivies de chiffres, par exemple AB123456.
field-residence_province_code-label = Province de résidence
field-residence_province_code-hint = Celle qu’indique la carte ou un justificatif de résidence : elle décide des pétitions que la personne peut signer.
staff-verify-residence_province_code-missing = Choisissez la province de résidence.
field-residence_province_code-invalid = Choisissez une province de la région.
field-legal_name-label = Nom figurant sur la carte (facultatif)
field-legal_name-hint = Imprimé sur les attestations de formation.
field-legal_name-invalid = Le nom doit compter au plus 200 caractères.
staff-verify-already-exists = Un autre compte est déjà vérifié avec ce numéro de carte nationale.
rule-account-already-verified = Ce compte est déjà vérifié.

## Roles form
staff-roles-title = Modifier les rôles
staff-roles-legend = Rôles attribués
staff-roles-hint = Les rôles de représentant d’association et de membre d’instance découlent des associations et des instances.
staff-roles-roles-missing = Cochez au moins un rôle.
field-roles-invalid = Seuls les rôles citoyen, personnel du Conseil et administrateur sont attribués ici.
staff-roles-submit = Enregistrer les rôles
staff-roles-rule-roles-self-demotion = Vous ne pouvez pas retirer votre propre rôle d’administrateur.

## Sessions
staff-sessions-title = Sessions de formation
staff-sessions-none = Aucune session n’est programmée.
staff-sessions-registrations = { $confirmed }, { $waitlisted }
staff-sessions-confirmed =
    { $count ->
        [one] { $n } inscription confirmée
       *[other] { $n } inscriptions confirmées
    }
staff-sessions-waitlisted =
    { $count ->
        [one] { $n } en liste d’attente
       *[other] { $n } en liste d’attente
    }
staff-sessions-csv = Télécharger les inscriptions (CSV)
staff-sessions-mark-held = Marquer comme tenue
staff-sessions-held = La session est marquée comme tenue : ses participants peuvent obtenir leur attestation.

## The venue's screen
staff-screen-title = Écran d’émargement
staff-screen-intro = Affichez cet écran dans la salle. Le code du jour permet aux participants d’émarger depuis leur téléphone ; il change à chaque émission.
staff-screen-code = Code du jour
staff-screen-scan = Scannez le QR code pour ouvrir la page d’émargement avec le code déjà saisi, ou saisissez le code sur la page de la session.
staff-screen-issue = Afficher le code du jour
staff-screen-issue-again = Émettre un nouveau code
staff-screen-qr-label = QR code de la page d’émargement avec le code du jour

## Moderation
staff-desk-moderation = Modération
staff-desk-moderation-about = La file des commentaires et des contributions au Forum signalés ou masqués, et les commentaires de chaque consultation : masquer avec un motif, rétablir.
staff-moderation-title = Modération
staff-moderation-intro = Choisissez une consultation pour voir ses commentaires.
staff-moderation-none = Aucune consultation pour le moment.
staff-moderation-comments-title = Commentaires à modérer
staff-moderation-no-comments = Aucun commentaire sur cette consultation.
staff-moderation-is-hidden = Masqué
staff-moderation-reason = Motif du masquage :
staff-moderation-reason-label = Motif pour masquer ce commentaire
staff-moderation-reason-missing = Indiquez pourquoi vous masquez ce commentaire.
staff-moderation-hide = Masquer le commentaire
staff-moderation-restore = Rétablir le commentaire
staff-moderation-hidden = Le commentaire est masqué ; son auteur et le public voient qu’il l’a été.
staff-moderation-restored = Le commentaire est rétabli.
staff-back-to-moderation = Retour à la modération

## Staff check-in
staff-check-in-title = Liste d’émargement
staff-check-in-intro = Pour une personne qui n’a pas de téléphone ou dont le code ne passe pas : cochez sa présence du jour. Le fichier CSV donne le nom de chaque numéro d’arrivée.
staff-check-in-none = Aucune inscription confirmée.
staff-check-in-caption = Inscriptions confirmées, présence du
staff-check-in-registrant = Inscription
staff-check-in-arrival = N° { $n }
staff-check-in-attended = Journées suivies
staff-check-in-days =
    { $count ->
        [one] { $n } journée
       *[other] { $n } journées
    }
staff-check-in-today = Aujourd’hui
staff-check-in-present = Présent
staff-check-in-submit = Enregistrer la présence
staff-check-in-done = La présence est enregistrée.

## Petitions desk
staff-desk-petitions = Pétitions
staff-desk-petitions-about = Les pétitions déposées en attente de décision, avec leur délai ; déclarer recevable avec la session, rejeter avec les motifs, clore ; saisir les signatures sur papier.
staff-petitions-title = Pétitions
staff-petitions-intro = Le Conseil statue sur la recevabilité de chaque pétition déposée et répond au mandataire dans le délai légal qui suit le dépôt. Les pétitions en attente de décision s’affichent d’abord ; choisissez un autre état pour voir les autres.
staff-petitions-state-label = État
staff-petitions-show = Afficher
staff-petitions-state-deposited = Déposées, en attente de décision
staff-petitions-state-collecting = En cours de signature
staff-petitions-state-admissible = Recevables
staff-petitions-state-rejected = Rejetées
staff-petitions-state-closed = Closes
staff-petitions-state-draft = Brouillons
staff-petitions-state-all = Tous les états
staff-petitions-none-awaiting = Aucune pétition n’attend de décision.
staff-petitions-none = Aucune pétition dans cet état.
staff-petitions-late = En retard
staff-petitions-deposited-on = Déposée le { $date }, récépissé n° { $number }
staff-petitions-due = Décision due au plus tard le { $date }
staff-petition-title = Guichet de la pétition
staff-petition-law =
    { $count ->
        [one] La loi : le Conseil statue sur la recevabilité et répond au mandataire dans le mois qui suit le dépôt ; une pétition recevable est inscrite à l’ordre du jour d’une session ordinaire nommée ; un rejet est motivé. Une réponse après ce délai reste possible, mais elle est marquée en retard.
       *[other] La loi : le Conseil statue sur la recevabilité et répond au mandataire dans les { $n } mois qui suivent le dépôt ; une pétition recevable est inscrite à l’ordre du jour d’une session ordinaire nommée ; un rejet est motivé. Une réponse après ce délai reste possible, mais elle est marquée en retard.
    }
staff-petition-subject = Domaine
staff-petition-subject-other = Autre domaine
staff-petition-deposit = Dépôt
staff-petition-deadline = Délai de décision
staff-petition-answer = Réponse du Conseil
staff-petition-answered-on = Donnée le { $date }
staff-petition-session = Session
staff-petition-late-body = Le délai légal de réponse est dépassé : la décision sera marquée en retard.
staff-petition-signatures = Signatures
staff-petition-online =
    { $count ->
        [one] { $n } signature en ligne
       *[other] { $n } signatures en ligne
    }
staff-petition-paper =
    { $count ->
        [one] { $n } signature sur papier, saisie par le personnel
       *[other] { $n } signatures sur papier, saisies par le personnel
    }
staff-petition-public = Voir la page publique de la pétition
staff-back-to-petitions = Retour aux pétitions
staff-petition-done-admitted = La pétition est déclarée recevable et inscrite à la session indiquée.
staff-petition-done-rejected = La pétition est rejetée ; les motifs sont communiqués au mandataire et publiés avec elle.
staff-petition-done-closed = La pétition est close.
staff-petition-done-paper = La signature sur papier est enregistrée. Elle compte comme toute signature.
staff-petition-done-refused = Ce n’est pas possible dans l’état actuel de la pétition. Rien n’a été enregistré.
staff-paper-title = Saisir une signature sur papier
staff-paper-intro = Pour une personne qui a signé la liste papier : vérifiez son identité en personne, puis retrouvez son compte vérifié. Les mêmes règles qu’en ligne s’appliquent (compte vérifié, résidence ou activité dans la région, une signature par personne) ; la saisie est journalisée à votre nom.
staff-paper-who-label = Adresse e-mail ou numéro de téléphone du compte du signataire
staff-paper-who-hint = Tel qu’il est enregistré sur la plateforme. Un compte se vérifie au guichet de vérification.
staff-paper-who-missing = Saisissez l’adresse e-mail ou le numéro de téléphone du compte du signataire.
staff-paper-who-unknown = Aucun compte actif n’a cette adresse e-mail ou ce numéro de téléphone.
staff-paper-who-invalid = Aucun compte actif n’a cette adresse e-mail ou ce numéro de téléphone.
staff-paper-declared_activity_province_code-label = Si le signataire ne réside pas dans la région : la province où il déclare exercer son activité
staff-paper-declared_activity_province_code-hint = Seulement si la liste papier déclare une activité économique, commerciale ou professionnelle dans la région.
staff-paper-declared_activity_province_code-invalid = Choisissez une province de la région.
staff-paper-submit = Enregistrer la signature
staff-paper-rule-petition-not-collecting = Cette pétition ne recueille pas de signatures en ce moment : la signature ne peut pas être enregistrée.
staff-paper-rule-petition-signer-verified = L’identité de ce compte n’est pas vérifiée : vérifiez-la d’abord au guichet de vérification avec la carte nationale.
staff-paper-rule-petition-signer-residence = Ce signataire ne réside pas dans la région : il ne peut signer que s’il y déclare une activité (choisissez la province).
staff-paper-already-exists = Cette personne a déjà signé la pétition, en ligne ou sur papier.
staff-admit-title = Déclarer recevable
staff-admit-intro = La pétition est inscrite à l’ordre du jour de la session ordinaire que vous nommez ; le mandataire et le public le voient.
staff-admit-session-label = Session ordinaire du Conseil
staff-admit-session-hint = Par exemple « Session ordinaire de mars 2027 », 200 caractères au plus.
staff-admit-session-missing = Nommez la session ordinaire où la pétition est inscrite.
staff-admit-session-invalid = Le nom de la session doit compter au plus 200 caractères.
staff-admit-submit = Déclarer recevable
staff-admit-rule-petition-transition = Seule une pétition déposée, pas encore traitée, peut être déclarée recevable ou rejetée.
staff-reject-title = Rejeter
staff-reject-intro = Un rejet est motivé : les motifs sont communiqués au mandataire et publiés avec la pétition.
staff-reject-reasons-label = Motifs du rejet
staff-reject-reasons-hint = 2 000 caractères au plus.
staff-reject-reasons-missing = Indiquez les motifs du rejet.
staff-reject-reasons-invalid = Les motifs doivent compter au plus 2 000 caractères.
staff-reject-submit = Rejeter la pétition
staff-reject-rule-petition-transition = Seule une pétition déposée, pas encore traitée, peut être déclarée recevable ou rejetée.
staff-close-title = Clore
staff-close-intro = Une fois la décision suivie d’effet, la pétition est close.
staff-close-submit = Clore la pétition
## Commitment tracker
staff-desk-commitments = Suivi des engagements
staff-desk-commitments-about = Le statut de chaque jalon avec sa justification et ses preuves ; le rapport d’avancement en Markdown, CSV ou JSON.
staff-tracker-title = Suivi des engagements
staff-tracker-lead = Les preuves viennent de l’activité de la plateforme ; le statut déclaré et sa justification sont publiés dans le rapport d’avancement.
staff-tracker-downloads = Rapport d’avancement
staff-tracker-md-ar = Markdown en arabe
staff-tracker-md-fr = Markdown en français
staff-tracker-csv = CSV
staff-tracker-json = JSON
staff-tracker-justification = Justification
staff-tracker-set-on = Déclaré le
staff-tracker-evidence = Preuves
staff-tracker-evidence-scheduled = Sessions et événements programmés
staff-tracker-evidence-forums = Dont forums tenus
staff-tracker-evidence-progress = Avancement vers la cible
staff-tracker-target-by-region = cible fixée par la région : l’engagement n’en donne pas
staff-tracker-form-legend = Déclarer le statut de ce jalon
staff-tracker-status-label = Nouveau statut
staff-tracker-justification-label = Justification
staff-tracker-justification-hint = Ce qui montre ce statut, de 10 à 2 000 caractères. Elle est publiée dans le rapport d’avancement.
staff-tracker-submit = Enregistrer le statut
staff-tracker-saved = Le statut du jalon est enregistré.
staff-tracker-status-missing = Choisissez le statut du jalon.
staff-tracker-justification-missing = Justifiez le statut choisi.
staff-tracker-justification-invalid = La justification doit compter de 10 à 2 000 caractères.
staff-tracker-none = Aucun engagement n’est suivi.
staff-tracker-md-period = Période :
staff-tracker-md-as-of = avancement au
staff-tracker-md-milestone = Jalon
staff-tracker-md-title = Intitulé
staff-tracker-md-dates = Dates
staff-tracker-md-late = En retard
staff-tracker-md-yes = oui
staff-tracker-md-no = non
staff-tracker-md-no-status = Le Conseil n’a pas encore déclaré de statut.

## Audit
staff-desk-audit = Journal d’audit
staff-desk-audit-about = Qui a fait quoi, quand, sur quoi et pour quelle raison, dans tous les services.
staff-audit-title = Journal d’audit
staff-audit-lead = Les changements administratifs de tous les services, du plus récent au plus ancien. Les personnes sont désignées par leur identifiant pseudonyme.
staff-audit-filter-label = Service
staff-audit-all = Tous les services
staff-audit-filter = Filtrer
staff-audit-caption = Entrées du journal d’audit
staff-audit-when = Quand (UTC), service
staff-audit-who = Qui
staff-audit-action = Action, sur quoi
staff-audit-reason = Raison
staff-audit-none = Aucune entrée.
staff-audit-service-identity = Comptes
staff-audit-service-consultation = Consultation
staff-audit-service-training = Formation
staff-audit-service-reporting = Suivi et rapports

## Sessions desk: scheduling, changing, cancelling sessions and issuing certificates
staff-session-new-title = Programmer une session
staff-session-edit-title = Modifier la session
staff-session-edit = Modifier
staff-session-cancel = Annuler la session
staff-session-form-intro = Les heures sont celles du lieu de la session. Chaque champ est vérifié par le service de formation.
staff-session-program-label = Programme
staff-session-program-hint = Le programme de formation auquel la session appartient.
staff-session-kind-label = Type de session
staff-session-title_ar-label = Titre en arabe
staff-session-title_fr-label = Titre en français
staff-session-days-legend = Journées
staff-session-days-hint = Une à 31 journées, chacune avec son heure de début et de fin. Laissez vides les lignes dont vous n’avez pas besoin.
staff-session-day = Journée { $day }
staff-session-day-date-label = Date
staff-session-day-start-label = Début (HH:MM)
staff-session-day-end-label = Fin (HH:MM)
staff-session-zone-note = Heures locales du lieu ({ $zone }).
staff-session-province-label = Province du lieu
staff-session-address-label = Adresse du lieu
staff-session-capacity-label = Nombre de places
staff-session-capacity-hint = Au-delà, les inscrits sont mis en liste d’attente.
staff-session-window-legend = Période d’inscription
staff-session-opens-label = Ouverture des inscriptions
staff-session-closes-label = Clôture des inscriptions
staff-session-eligibility-label = Qui peut s’inscrire
staff-session-eligibility-open = Toute personne connectée
staff-session-eligibility-instance_members = Les membres d’une instance consultative
staff-session-eligibility-association_representatives = Les représentants d’une association
staff-session-eligibility-civil_society = Les membres d’une instance ou les représentants d’une association
staff-session-schedule = Programmer la session
staff-session-save = Enregistrer les modifications
staff-session-done-scheduled = La session est programmée.
staff-session-done-saved = Les modifications de la session sont enregistrées.
staff-session-done-cancelled = La session est annulée.
staff-session-program-invalid = Choisissez le programme de la session.
staff-session-kind-invalid = Choisissez le type de session.
staff-session-title_ar-invalid = Saisissez le titre en arabe (500 caractères au plus).
staff-session-title_fr-invalid = Saisissez le titre en français (500 caractères au plus).
staff-session-days-invalid = Donnez entre une et 31 journées, chacune une seule fois, qui ne sont pas toutes passées.
staff-session-day-date-invalid = Journée { $day } : saisissez une date valide.
staff-session-day-start-invalid = Journée { $day } : saisissez l’heure de début (HH:MM), une heure qui existe ce jour-là.
staff-session-day-end-invalid = Journée { $day } : saisissez l’heure de fin (HH:MM), après l’heure de début le même jour.
staff-session-province-invalid = Choisissez une province de la région.
staff-session-address-invalid = Saisissez l’adresse du lieu (500 caractères au plus).
staff-session-capacity-invalid = Saisissez un nombre de places entre 1 et 100 000.
staff-session-opens-invalid = Saisissez la date et l’heure d’ouverture des inscriptions.
staff-session-closes-invalid = Saisissez la date et l’heure de clôture des inscriptions, après leur ouverture.
staff-session-eligibility-invalid = Choisissez qui peut s’inscrire.
staff-session-rule-session-capacity-below-confirmed = Le nombre de places ne peut pas être inférieur au nombre d’inscriptions déjà confirmées.
staff-session-rule-session-days-locked = Les journées ne peuvent plus changer : des présences sont déjà enregistrées.
staff-session-rule-session-not-scheduled = Cette session n’est plus programmée : elle a été tenue ou annulée.
staff-session-rule-session-cancelled = Cette session a été annulée.
staff-session-cancel-title = Annuler la session
staff-session-cancel-intro = Les inscrits seront prévenus de l’annulation et du motif.
staff-session-cancel-confirmed =
    { $count ->
        [one] { $n } personne est inscrite.
       *[other] { $n } personnes sont inscrites.
    }
staff-session-cancel-reason-label = Motif de l’annulation
staff-session-cancel-reason-hint = Il est communiqué aux inscrits (500 caractères au plus).
staff-session-cancel-reason-invalid = Saisissez le motif de l’annulation (500 caractères au plus).
staff-session-cancel-confirm = Confirmer l’annulation
staff-certificates-title = Attestations
staff-certificates-intro = Une attestation est délivrée à chaque participant confirmé qui a assisté à assez de journées ; ceux qui en ont déjà une ne la reçoivent pas deux fois.
staff-certificates-issue = Délivrer les attestations
staff-certificates-not-held = Les attestations sont délivrées une fois la session marquée comme tenue.
staff-certificates-participants =
    { $count ->
        [one] { $n } participant confirmé.
       *[other] { $n } participants confirmés.
    }
staff-certificates-issued =
    { $count ->
        [one] { $n } attestation délivrée.
       *[other] { $n } attestations délivrées.
    }
staff-certificates-already =
    { $count ->
        [one] { $n } participant avait déjà son attestation.
       *[other] { $n } participants avaient déjà leur attestation.
    }
staff-certificates-refused =
    { $count ->
        [one] { $n } participant n’y a pas droit pour le moment (présence insuffisante ou nom à confirmer).
       *[other] { $n } participants n’y ont pas droit pour le moment (présence insuffisante ou nom à confirmer).
    }
