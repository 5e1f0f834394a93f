# imports: the staff console's imports of records kept before the platform.

staff-desk-imports = Imports
staff-desk-imports-about = Importer depuis un fichier CSV les associations, les membres des instances consultatives et les sessions tenues avant la plateforme, après une vérification qui liste chaque ligne fautive.
staff-imports-title = Imports
staff-imports-lead = Les registres du Conseil antérieurs à la plateforme, importés depuis un fichier CSV. Ce qui est importé est marqué « enregistré après coup » partout où il apparaît.
staff-imports-how = Chaque fichier est d’abord vérifié en entier sans rien écrire : chaque ligne fautive est listée avec sa colonne. Un fichier qui a une seule ligne fautive n’écrit rien. Importer deux fois le même fichier ne change rien : une ligne déjà enregistrée est laissée telle quelle.
staff-imports-associations-title = Associations
staff-imports-associations-about = Une ligne par association du registre du Conseil, reconnue par son numéro de récépissé. Elles sont enregistrées comme vérifiées, sans représentant.
staff-imports-members-title = Membres des instances consultatives
staff-imports-members-about = Une ligne par mandat d’un membre, reconnu par l’instance, le compte et la date de début. Le compte doit déjà exister : son identifiant figure dans le bureau des comptes.
staff-imports-sessions-title = Sessions tenues avant la plateforme
staff-imports-sessions-about = Une ligne par session passée, avec sa présence : elle est enregistrée tenue, comptée pour le jalon de son programme le mois où elle s’est tenue, et jamais ouverte aux inscriptions. Une session est reconnue par son programme, son premier jour, sa province et son adresse.
staff-imports-column-program_id = L’identifiant du programme (il figure dans l’adresse de la page du programme).
staff-imports-column-title_ar = Le titre en arabe.
staff-imports-column-title_fr = Le titre en français.
staff-imports-column-kind = training_session (formation), regional_meeting (rencontre régionale) ou forum.
staff-imports-column-sessions-province_code = Le code de la province du lieu (par exemple laayoune).
staff-imports-column-address = L’adresse du lieu.
staff-imports-column-days = Le ou les jours, AAAA-MM-JJ séparés par « ; », au plus aujourd’hui.
staff-imports-column-start = L’heure de début, HH:MM, chaque jour.
staff-imports-column-end = L’heure de fin, HH:MM, après le début.
staff-imports-column-attended_count = Le nombre de personnes présentes, avec ou sans compte (0 ou plus).
staff-imports-column-attendee_account_ids = Les identifiants des comptes présents parmi elles, séparés par « ; » : présents chaque jour, pas plus que le nombre de présents.
staff-imports-columns-caption = Colonnes du fichier (la première ligne les nomme, dans n’importe quel ordre)
staff-imports-column = Colonne
staff-imports-column-needed = Obligatoire
staff-imports-column-about = Contenu
staff-imports-required = Oui
staff-imports-optional = Non
staff-imports-column-registration_number = Le numéro du récépissé de l’association.
staff-imports-column-name_ar = Son nom en arabe.
staff-imports-column-name_fr = Son nom en français.
staff-imports-column-name_en = Son nom en anglais, s’il y en a un.
staff-imports-column-founded_on = Sa date de création, AAAA-MM-JJ.
staff-imports-column-province_code = Le code de la province de son siège (par exemple laayoune).
staff-imports-column-fields_of_activity = Ses domaines d’activité, mots courts en minuscules séparés par « ; » (par exemple youth;culture).
staff-imports-column-instance_id = L’identifiant de l’instance.
staff-imports-column-account_id = L’identifiant du compte du membre.
staff-imports-column-role = president, vice_president, rapporteur ou member.
staff-imports-column-association_registration_number = Le numéro de récépissé de l’association vérifiée que le membre représente, s’il en représente une.
staff-imports-column-started_on = Le début du mandat, AAAA-MM-JJ, pas dans le futur.
staff-imports-column-ended_on = La fin du mandat, AAAA-MM-JJ, après le début ; vide s’il dure encore.
staff-imports-file-label = Fichier CSV (UTF-8)
staff-imports-file-hint = Enregistré depuis un tableur au format « CSV UTF-8 », virgules comme séparateurs. Jusqu’à 20 000 lignes.
staff-imports-check = Vérifier le fichier
staff-imports-file-missing = Choisissez un fichier CSV.
staff-imports-file-not-text = Ce fichier n’est pas un texte UTF-8 : enregistrez-le au format « CSV UTF-8 ».
staff-imports-file-empty = Ce fichier n’a aucune ligne après celle des colonnes.
staff-imports-file-too-long = Ce fichier a plus de { $max } lignes : découpez-le.
staff-imports-file-columns = Il manque à la première ligne ces colonnes : { $columns }.
staff-imports-check-title = Vérification du fichier
staff-imports-check-summary = Aucune erreur. Lignes : { $rows } ; { $created } à ajouter, { $unchanged } déjà enregistrées.
staff-imports-problems-title =
    { $count ->
        [one] Une ligne fautive
       *[other] { $n } lignes fautives
    }
staff-imports-nothing-written = Rien n’a été écrit. Corrigez ces lignes dans le fichier, puis vérifiez-le de nouveau.
staff-imports-ready = Rien n’a encore été écrit. L’import se fait par lots de 1 000 lignes ; gardez la page ouverte jusqu’à la fin.
staff-imports-run = Importer
staff-imports-back = Choisir un autre fichier
staff-imports-problem-line = Ligne
staff-imports-problem-column = Colonne
staff-imports-problem-reason = Problème
staff-imports-problem-required = La valeur manque.
staff-imports-problem-invalid = La valeur n’est pas valable (format ou longueur).
staff-imports-problem-unknown = Introuvable sur la plateforme.
staff-imports-problem-duplicate = Répète une ligne précédente du fichier.
staff-imports-problem-future = La date est dans le futur.
staff-imports-problem-before_start = La fin n’est pas après le début.
staff-imports-problem-overlap = Chevauche un autre mandat de ce membre dans cette instance.
staff-imports-problem-president_taken = L’instance a déjà un président à ces dates.
staff-imports-problem-not_verified = Cette association n’est pas vérifiée.
staff-imports-run-title = Import du fichier
staff-imports-run-intro = Lignes : { $rows } ; lots : { $batches }. Chaque lot importé s’affiche ci-dessous ; gardez la page ouverte jusqu’à la fin.
staff-imports-run-step = Lot { $done } sur { $total } importé
staff-imports-run-done = Import terminé. Lignes : { $rows } ; { $created } ajoutées, { $unchanged } déjà enregistrées.
staff-imports-run-failed = L’import s’est interrompu. Les lots déjà importés sont enregistrés ; importez de nouveau le même fichier pour le terminer.
staff-imports-run-refused = Le fichier a des lignes fautives : rien n’a été écrit.
recorded-after-the-fact = Enregistré après coup
session-recorded-attended =
    { $count ->
        [0] Aucune personne présente
        [one] Une personne présente
       *[other] { $n } personnes présentes
    }
