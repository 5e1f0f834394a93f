# The Regional Forum's desk, the programs desk, the certificate names desk and the moderation
# queue of the staff console.

staff-desk-forum = Forum régional
staff-desk-forum-about = Les éditions du Forum : en créer une, lui ajouter ses thèmes, ses ateliers (avec la session qui les accueille) et les recommandations de chaque atelier.
staff-desk-programs = Programmes de formation
staff-desk-programs-about = Les programmes de formation, leur public et le jalon d’engagement qu’ils servent ; en créer un, sous lequel planifier ensuite des sessions.
staff-desk-certificate-names = Noms des attestations
staff-desk-certificate-names-about = Les noms demandés par des participants non vérifiés pour leur attestation : les approuver tels quels ou corrigés.

## The Forum desk

staff-forum-title = Forum régional
staff-forum-intro = Les éditions du Forum régional de dialogue et de concertation, la plus récente d’abord. Les réponses du conseil aux recommandations se donnent sur le guichet « Réponses et suivi ».
staff-forum-new-link = Créer une édition
staff-forum-none = Aucune édition pour le moment.
staff-forum-dates = Du { $from } au { $to }
staff-forum-back = Retour aux éditions du Forum
staff-forum-new-title = Nouvelle édition du Forum
staff-forum-new-intro = Le titre en arabe et en français, l’année et les dates de l’édition. Ses thèmes et ses ateliers s’ajoutent ensuite sur sa page.
staff-forum-title_ar-label = Titre en arabe
staff-forum-title_fr-label = Titre en français
staff-forum-year-label = Année de l’édition
staff-forum-starts_on-label = Premier jour
staff-forum-ends_on-label = Dernier jour
staff-forum-create = Créer l’édition
staff-forum-title_ar-missing = Indiquez le titre en arabe.
staff-forum-title_ar-invalid = Le titre en arabe est obligatoire et fait au plus 200 caractères.
staff-forum-title_fr-missing = Indiquez le titre en français.
staff-forum-title_fr-invalid = Le titre en français est obligatoire et fait au plus 200 caractères.
staff-forum-year-missing = Indiquez l’année de l’édition.
staff-forum-year-invalid = L’année s’écrit en chiffres, entre 2000 et 2200.
staff-forum-starts_on-missing = Indiquez le premier jour.
staff-forum-starts_on-invalid = Le premier jour n’est pas une date valide.
staff-forum-ends_on-missing = Indiquez le dernier jour.
staff-forum-ends_on-invalid = Le dernier jour doit être une date valide, au plus tôt le premier jour.
staff-forum-edition-title = Édition du Forum
staff-forum-public-link = Voir la page publique de l’édition
staff-forum-answers-link = Répondre aux recommandations de l’édition (Réponses et suivi)
staff-forum-no-themes = Cette édition n’a pas encore de thème.
staff-forum-no-workshops = Aucun atelier dans ce thème.
staff-forum-session = Session d’accueil :
staff-forum-no-session = Aucune session (contributions de toute personne connectée)
staff-forum-session-none = Aucune session
staff-forum-recommendations = Recommandations
staff-forum-contributions =
    { $count ->
        [0] aucune contribution
        [one] une contribution
       *[other] { $n } contributions
    }
staff-forum-add-theme = Ajouter un thème
staff-forum-add-theme-button = Ajouter le thème
staff-forum-theme_title_ar-missing = Indiquez le titre du thème en arabe.
staff-forum-theme_title_ar-invalid = Le titre du thème en arabe est obligatoire et fait au plus 200 caractères.
staff-forum-theme_title_fr-missing = Indiquez le titre du thème en français.
staff-forum-theme_title_fr-invalid = Le titre du thème en français est obligatoire et fait au plus 200 caractères.
staff-forum-add-workshop = Ajouter un atelier
staff-forum-workshop_theme-label = Thème de l’atelier
staff-forum-workshop_province-label = Province de l’atelier
staff-forum-workshop_session-label = Session qui accueille l’atelier
staff-forum-workshop_session-hint = Les sessions de type « Forum » planifiées sur le guichet des sessions. Avec une session, seules les personnes dont la présence y est enregistrée contribuent à l’atelier.
staff-forum-add-workshop-button = Ajouter l’atelier
staff-forum-workshop_theme-missing = Choisissez le thème de l’atelier.
staff-forum-workshop_theme-invalid = Choisissez un thème de cette édition dans la liste.
staff-forum-workshop_title_ar-missing = Indiquez le titre de l’atelier en arabe.
staff-forum-workshop_title_ar-invalid = Le titre de l’atelier en arabe est obligatoire et fait au plus 200 caractères.
staff-forum-workshop_title_fr-missing = Indiquez le titre de l’atelier en français.
staff-forum-workshop_title_fr-invalid = Le titre de l’atelier en français est obligatoire et fait au plus 200 caractères.
staff-forum-workshop_province-missing = Choisissez la province de l’atelier.
staff-forum-workshop_province-invalid = Choisissez une province de la région dans la liste.
staff-forum-workshop_session-invalid = Choisissez une session de la liste.
staff-forum-rule-forum-session-unknown = Cette session n’est pas (encore) connue du Forum : choisissez-en une autre ou réessayez dans un instant.
staff-forum-rule-forum-session-not-forum = Cette session n’est pas une session du Forum : choisissez une session de type « Forum ».
staff-forum-add-recommendation = Enregistrer une recommandation
staff-forum-add-recommendation-intro = Une recommandation issue d’un atelier. Le conseil y répond ensuite sur le guichet « Réponses et suivi ».
staff-forum-recommendation_workshop-label = Atelier
staff-forum-recommendation_text-label = Texte de la recommandation
staff-forum-add-recommendation-button = Enregistrer la recommandation
staff-forum-recommendation_workshop-missing = Choisissez l’atelier de la recommandation.
staff-forum-recommendation_workshop-invalid = Choisissez un atelier de cette édition dans la liste.
staff-forum-recommendation_text-missing = Écrivez le texte de la recommandation.
staff-forum-recommendation_text-invalid = Le texte de la recommandation fait au plus 5 000 caractères.
staff-forum-done-created = L’édition est créée. Ajoutez-lui ses thèmes, puis ses ateliers.
staff-forum-done-theme = Le thème est ajouté.
staff-forum-done-workshop = L’atelier est ajouté.
staff-forum-done-recommendation = La recommandation est enregistrée ; elle attend la réponse du conseil.

## The programs desk

staff-programs-title = Programmes de formation
staff-programs-intro = Les programmes de renforcement des capacités, le plus récent d’abord. Les sessions se planifient ensuite sous un programme, sur le guichet des sessions.
staff-program-new-link = Créer un programme
staff-programs-none = Aucun programme pour le moment.
staff-programs-back = Retour aux programmes
staff-program-whole-region = Toute la région
staff-program-created = Créé le
staff-program-done-created = Le programme est créé ; ses sessions peuvent être planifiées.
staff-program-new-title = Nouveau programme de formation
staff-program-new-intro = Le titre et les objectifs en arabe et en français, le public visé, le jalon d’engagement que le programme sert et, s’il ne concerne pas toute la région, ses provinces.
staff-program-title_ar-label = Titre en arabe
staff-program-title_fr-label = Titre en français
staff-program-objectives_ar-label = Objectifs en arabe
staff-program-objectives_fr-label = Objectifs en français
staff-program-audience-label = Public visé
staff-program-milestone-label = Jalon d’engagement servi
staff-program-province-label = Provinces
staff-program-province-legend = Provinces concernées (aucune cochée : toute la région)
staff-program-create = Créer le programme
staff-program-audience-instance_members = Membres des instances consultatives
staff-program-audience-associations = Associations
staff-program-audience-youth = Jeunes
staff-program-audience-women = Femmes
staff-program-audience-staff = Personnel du conseil
staff-program-audience-public = Grand public
staff-program-audience-unspecified = Public non précisé
staff-program-title_ar-missing = Indiquez le titre en arabe.
staff-program-title_ar-invalid = Le titre en arabe est obligatoire et fait au plus 200 caractères.
staff-program-title_fr-missing = Indiquez le titre en français.
staff-program-title_fr-invalid = Le titre en français est obligatoire et fait au plus 200 caractères.
staff-program-objectives_ar-missing = Indiquez les objectifs en arabe.
staff-program-objectives_ar-invalid = Les objectifs en arabe sont obligatoires et font au plus 4 000 caractères.
staff-program-objectives_fr-missing = Indiquez les objectifs en français.
staff-program-objectives_fr-invalid = Les objectifs en français sont obligatoires et font au plus 4 000 caractères.
staff-program-audience-missing = Cochez au moins un public.
staff-program-audience-invalid = Cochez des publics de la liste.
staff-program-milestone-missing = Choisissez le jalon que le programme sert.
staff-program-milestone-invalid = Choisissez un jalon de la liste.
staff-program-province-invalid = Cochez des provinces de la région.

## The certificate names desk

staff-names-title = Noms des attestations
staff-names-intro = Ces participants n’ont pas d’identité vérifiée : le nom qu’ils ont demandé n’apparaît pas sur la vérification publique de leur attestation avant votre approbation. Approuvez-le tel quel ou corrigez-le d’abord.
staff-names-none = Aucun nom en attente d’approbation.
staff-names-name-label = Nom à imprimer sur l’attestation
staff-names-name-hint = Le nom tel que demandé ; corrigez-le si besoin avant d’approuver.
staff-names-approve = Approuver ce nom
staff-names-name-missing = Indiquez le nom à imprimer.
staff-names-name-invalid = Le nom fait au plus 200 caractères, sans caractère de contrôle.
staff-names-done-approved = Le nom est approuvé : il figure désormais sur la vérification publique de l’attestation.
staff-names-refused = Ce nom n’attend plus d’approbation (déjà approuvé, ou le compte a été supprimé). Rien n’a été modifié.

## The moderation queue

staff-moderation-queue = File de modération
staff-moderation-queue-intro = Les commentaires et les contributions au Forum signalés ou masqués, les plus récents d’abord. Une contribution se masque avec un motif ou se rétablit ici ; un commentaire, sur la page de sa consultation.
staff-moderation-queue-empty = Rien à modérer pour le moment.
staff-moderation-consultations = Commentaires par consultation
staff-moderation-kind-contribution = Contribution au Forum
staff-moderation-kind-comment = Commentaire
staff-moderation-awaiting-review = masqué par les signalements, en attente de votre décision
staff-moderation-reports = Signalements :
staff-moderation-comment-link = Modérer ce commentaire sur la page de sa consultation
staff-moderation-contribution-reason-label = Motif pour masquer cette contribution
staff-moderation-contribution-reason-missing = Indiquez pourquoi vous masquez cette contribution.
staff-moderation-contribution-reason-invalid = Le motif fait au plus 500 caractères.
staff-moderation-contribution-hide = Masquer la contribution
staff-moderation-contribution-restore = Rétablir la contribution
staff-moderation-contribution-hidden = La contribution est masquée ; son auteur et le public voient qu’elle l’a été.
staff-moderation-contribution-restored = La contribution est rétablie.
staff-moderation-contribution-refused = Cette contribution a déjà été traitée entre-temps. Rien n’a été modifié.
staff-forum-edit-theme-link = Corriger le thème
staff-forum-edit-workshop-link = Corriger l’atelier
staff-forum-edit-theme-title = Corriger un thème du Forum
staff-forum-edit-workshop-title = Corriger un atelier du Forum
staff-forum-edit-theme-intro = Le titre du thème en arabe et en français. Une version en tamazight reste telle qu’elle est.
staff-forum-edit-workshop-intro = Le titre de l’atelier en arabe et en français, sa province et la session qui l’accueille (choisir « Aucune session » la retire). Les contributions déjà reçues restent ; la session décide de qui contribue ensuite.
staff-forum-save = Enregistrer la correction
staff-forum-edit-back = Retour à l’édition
staff-forum-done-theme-saved = Le thème est corrigé.
staff-forum-done-workshop-saved = L’atelier est corrigé.
