# petition-forms: starting a petition, opening it for signatures, signing, withdrawing.

petition-form-choose = Choisissez
petition-form-subject-economy = Développement économique et investissement
petition-form-subject-employment = Emploi
petition-form-subject-training = Formation professionnelle
petition-form-subject-rural = Développement rural
petition-form-subject-transport = Transport régional
petition-form-subject-environment = Environnement
petition-form-subject-water = Eau et énergie
petition-form-subject-culture = Culture et patrimoine
petition-form-subject-tourism = Tourisme
petition-form-subject-sport = Sport et jeunesse
petition-form-subject-social = Action sociale

# Public pages
petition-form-sign-link = Signer cette pétition
petition-form-withdraw-link = Retirer ma signature
petition-form-start-link = Lancer une pétition
petition-form-mine-link = Mes pétitions

# Starting a petition
petition-form-new-title = Lancer une pétition
petition-form-new-lead = Demandez au Conseil régional d’inscrire à l’ordre du jour d’une de ses sessions une question qui relève de ses compétences. Vous en serez le mandataire.
petition-form-new-rules = Les règles en vigueur
petition-form-new-steps = Votre pétition est d’abord enregistrée comme brouillon, visible de vous seul. Vous ouvrez ensuite la collecte des signatures, puis vous la déposez auprès du Conseil lorsque les règles sont remplies.
petition-form-new-submit = Enregistrer le brouillon
petition-new-kind-label = Au nom de qui présentez-vous la pétition ?
petition-new-kind-citizen = En mon nom, avec d’autres citoyens
petition-new-kind-association = Au nom d’une association que je représente
petition-new-kind-missing = Indiquez au nom de qui vous présentez la pétition.
petition-new-kind-invalid = Indiquez au nom de qui vous présentez la pétition.
petition-form-association-rule-age = L’association est constituée depuis plus de { $years } ans
petition-form-association-rule-standing = elle est vérifiée par le Conseil et n’est pas suspendue
petition-form-association-rule-region = elle a son siège ou une antenne dans la région
petition-form-association-rule-activity = son domaine d’activité comprend le sujet de la pétition.
petition-form-no-association = Pour présenter une pétition au nom d’une association, enregistrez-la d’abord.
petition-form-register-association = Enregistrer une association
petition-new-association_id-label = Association
petition-new-association_id-hint = Seulement si vous présentez la pétition au nom d’une association.
petition-new-association_id-missing = Choisissez l’association au nom de laquelle vous présentez la pétition.
petition-new-association_id-invalid = Choisissez une association que vous représentez.
petition-new-title-label = Titre de la pétition
petition-new-title-hint = Une phrase courte, 200 caractères au plus.
petition-new-title-missing = Saisissez le titre de la pétition.
petition-new-title-invalid = Le titre doit compter au plus 200 caractères.
petition-new-object-label = Ce que vous demandez au Conseil
petition-new-object-hint = La question à inscrire à l’ordre du jour et ses raisons, 5 000 caractères au plus. Ce texte ne pourra plus être modifié une fois la collecte ouverte.
petition-new-object-missing = Décrivez ce que vous demandez au Conseil.
petition-new-object-invalid = Le texte doit compter au plus 5 000 caractères.
petition-new-subject_field-label = Domaine de compétence du Conseil
petition-new-subject_field-hint = Le domaine dont relève votre demande.
petition-new-subject_field-missing = Choisissez le domaine dont relève votre demande.
petition-new-subject_field-invalid = Choisissez le domaine dont relève votre demande.
petition-new-rule-petition-association-representative = Vous ne représentez pas cette association : seul un de ses représentants peut présenter une pétition en son nom.
petition-new-rule-petition-association-good-standing = Cette association n’est pas encore vérifiée par le Conseil, ou elle est suspendue : elle ne peut pas présenter de pétition pour le moment.
petition-new-rule-petition-association-age = Cette association n’est pas constituée depuis assez longtemps pour présenter une pétition.
petition-new-rule-petition-association-in-region = Cette association n’a ni siège ni antenne dans la région.
petition-new-rule-petition-association-activity = Le domaine d’activité de cette association ne comprend pas le sujet de la pétition.

# Opening for signatures
petition-form-created = Votre pétition est enregistrée comme brouillon. Personne d’autre ne la voit tant que vous n’avez pas ouvert la collecte des signatures.
petition-form-collect-title = Ouvrir la collecte des signatures
petition-form-petition = Pétition
petition-form-status = État
petition-form-kind = Type
petition-form-progress = Signatures
petition-form-collect-what = Ce qui se passe quand vous ouvrez la collecte
petition-form-collect-public = La pétition devient publique : tout le monde peut la lire sur ce site.
petition-form-collect-final = Son titre et son texte ne peuvent plus être modifiés.
petition-form-collect-signers = Les personnes qui remplissent les conditions peuvent la signer ; seul le nombre de signatures par province est publié, jamais leurs noms.
petition-form-collect-deposit = Lorsque les règles sont remplies, vous pouvez la déposer auprès du Conseil, qui vous remet un récépissé.
petition-form-collect-submit = Ouvrir la collecte des signatures
petition-form-later = Plus tard : retrouver ce brouillon dans mes pétitions
petition-form-collect-already = La collecte des signatures est déjà ouverte pour cette pétition.
petition-form-see-petition = Voir la pétition
petition-collect-rule-petition-transition = La collecte ne peut être ouverte que pour une pétition encore à l’état de brouillon.

# Signing
petition-form-sign-title = Signer la pétition
petition-form-sign-anyone = Toute personne inscrite peut signer, une fois.
petition-form-who-may-sign = Qui peut signer
petition-form-recorded = Ce qui est enregistré à votre sujet
petition-form-recorded-body = Votre compte, la province où vous résidez (ou celle où vous déclarez exercer une activité) et la date de votre signature. Seuls les services du Conseil voient la liste des signataires ; le public ne voit que le nombre de signatures par province. Vous pouvez retirer votre signature jusqu’au dépôt de la pétition.
petition-form-your-province = Votre signature comptera pour la province : { $province }.
petition-form-unverified = Vous devez faire vérifier votre identité pour signer une pétition.
petition-form-how-to-verify = Comment faire vérifier mon identité
petition-form-sign-submit = Signer cette pétition
petition-form-not-collecting = Cette pétition ne recueille pas de signatures en ce moment.
petition-form-back = Revenir à la pétition
petition-form-signed-title = Vous avez signé la pétition
petition-form-signed-body = Merci. Votre signature est enregistrée et comptée dans la province où vous résidez ou exercez votre activité.
petition-sign-declared_activity_province_code-label = Si vous ne résidez pas dans la région : la province où vous exercez votre activité
petition-sign-declared_activity_province_code-hint = Une activité économique, commerciale ou professionnelle. Vous le déclarez sur l’honneur.
petition-sign-declared_activity_province_code-invalid = Choisissez une province de la région.
petition-sign-rule-petition-not-collecting = Cette pétition ne recueille pas de signatures en ce moment : vous ne pouvez pas la signer.
petition-sign-rule-petition-signer-verified = Vous devez faire vérifier votre identité pour signer : présentez votre carte nationale aux services du Conseil ou dans un point d’accueil, puis revenez signer.
petition-sign-rule-petition-signer-residence = Vous ne pouvez pas signer : les signataires résident dans la région ou y exercent une activité. Si vous y exercez une activité, choisissez la province concernée.
petition-sign-already-exists = Vous avez déjà signé cette pétition.

# Withdrawing a signature
petition-form-withdraw-title = Retirer votre signature
petition-form-withdraw-body = Votre signature ne comptera plus pour cette pétition. Vous pourrez signer à nouveau tant que la collecte reste ouverte.
petition-form-withdraw-submit = Retirer ma signature
petition-form-withdraw-closed = Une signature ne peut être retirée que pendant la collecte, avant le dépôt de la pétition.
petition-form-withdrawn-title = Votre signature est retirée
petition-form-withdrawn-body = Elle ne compte plus pour cette pétition.
petition-withdraw-not-signed = Vous n’avez pas signé cette pétition.
petition-withdraw-rule-petition-withdrawal-closed = Cette pétition a été déposée ou n’est plus ouverte : votre signature ne peut plus être retirée.

# My petitions
petition-form-mine-title = Mes pétitions
petition-form-mine-none = Vous n’avez lancé aucune pétition.
petition-form-mine-draft = Brouillon : ouvrez la collecte pour qu’elle puisse être signée.
