# take-part: answering a consultation's survey, proposing, supporting, commenting, reporting.

## Links on the public consultation page
take-part-link-answer = Répondre au questionnaire
take-part-link-propose = Faire une proposition
take-part-link-support = Soutenir cette proposition
take-part-link-comment = Commenter
take-part-link-report = Signaler
take-part-comments = Commentaires
take-part-no-comments = Aucun commentaire pour le moment.
take-part-comment-hidden = Ce commentaire est masqué en attendant l’examen d’un modérateur.
take-part-comment-date = Publié le { $date }

## Shared
take-part-consultation = Consultation :
take-part-back = Retour à la consultation
take-part-closed = Cette consultation n’est plus ouverte : il n’est plus possible d’y participer.

## Answering the survey
take-part-answer-title = Répondre au questionnaire
take-part-answer-lead = Vous pouvez modifier votre réponse tant que la consultation est ouverte. Seules les questions marquées « obligatoire » doivent être remplies.
take-part-answer-no-survey = Cette consultation n’a pas de questionnaire.
take-part-answer-submit = Envoyer ma réponse
take-part-answer-change = Enregistrer mes modifications
take-part-answer-saved = Votre réponse est enregistrée. Vous pouvez la modifier tant que la consultation est ouverte.
take-part-answer-saved-until = Votre réponse est enregistrée. Vous pouvez la modifier jusqu’au { $date }.
take-part-answer-scale-hint = Choisissez une valeur de { $min } à { $max }.
take-part-answer-several-hint = Vous pouvez cocher plusieurs réponses.
take-part-answer-choose-one = Choisissez une réponse.
take-part-answer-choose-some = Cochez au moins une réponse.
take-part-answer-write = Écrivez votre réponse.
take-part-answer-choice-invalid = Choisissez parmi les réponses proposées.
take-part-answer-scale-invalid = Cette valeur n’est pas sur l’échelle : choisissez de { $min } à { $max }.
take-part-answer-text-too-long = Votre réponse doit compter au plus 5 000 caractères.
take-part-answers-invalid = Répondez à au moins une question.
take-part-question_id-invalid = Cette question ne fait plus partie du questionnaire. Rechargez la page.
take-part-q-invalid = Cette réponse n’est pas valide.

## Proposing
take-part-propose-title = Faire une proposition
take-part-propose-lead = Votre proposition est publiée sur la page de la consultation. D’autres personnes peuvent la soutenir ; au-delà d’un certain nombre de soutiens, le Conseil doit l’étudier et y répondre.
take-part-propose-submit = Publier ma proposition
take-part-propose-sent = Votre proposition est publiée.
take-part-propose-see = Voir la proposition sur la page de la consultation
take-part-propose-another = Faire une autre proposition
field-proposal_title-label = Titre de la proposition
field-proposal_title-hint = En une phrase courte : 200 caractères au plus.
field-proposal_body-label = Votre proposition
field-proposal_body-hint = Expliquez ce que vous proposez et pourquoi.
take-part-proposal_title-missing = Donnez un titre à votre proposition.
take-part-proposal_title-invalid = Le titre doit compter au plus 200 caractères.
take-part-proposal_body-missing = Décrivez votre proposition.
take-part-proposal_body-invalid = La proposition doit compter au plus 10 000 caractères.

## Supporting a proposal
take-part-support-title = Soutenir une proposition
take-part-support-lead = Votre soutien est compté une seule fois. Il aide la proposition à atteindre le seuil au-delà duquel le Conseil doit l’étudier.
take-part-support-submit = Soutenir cette proposition
take-part-support-already = Vous soutenez déjà cette proposition.

## Commenting
take-part-comment-title = Commenter la consultation
take-part-comment-lead = Votre commentaire est public. Restez courtois : un commentaire signalé par plusieurs personnes est masqué en attendant l’examen d’un modérateur.
take-part-comment-submit = Publier mon commentaire
take-part-comment-sent = Votre commentaire est publié. Il apparaîtra sur la page de la consultation dans quelques instants.
field-comment_body-label = Votre commentaire
field-comment_body-hint = 5 000 caractères au plus.
take-part-comment_body-missing = Écrivez votre commentaire.
take-part-comment_body-invalid = Le commentaire doit compter au plus 5 000 caractères.

## Reporting a comment
take-part-report-title = Signaler un commentaire
take-part-report-comment = Le commentaire
take-part-report-lead = Signalez un commentaire injurieux, discriminatoire, hors sujet ou qui révèle des informations personnelles. Un modérateur l’examinera.
take-part-report-submit = Signaler ce commentaire
take-part-report-sent = Merci. Votre signalement est enregistré ; un modérateur examinera ce commentaire.
take-part-report-already = Vous avez déjà signalé ce commentaire.
field-report_reason-label = Pourquoi le signalez-vous ?
field-report_reason-hint = 500 caractères au plus.
take-part-report_reason-missing = Dites pourquoi vous signalez ce commentaire.
take-part-report_reason-invalid = La raison doit compter au plus 500 caractères.

## What the consultation service may refuse
take-part-rule-consultation-not-open = Cette consultation n’est pas ouverte : il n’est pas possible d’y participer en ce moment.
take-part-rule-consultation-audience = Cette consultation est réservée à un autre public (les associations ou les membres d’une instance consultative) : vous ne pouvez pas y participer.
take-part-rule-consultation-verified-only = Cette consultation est réservée aux personnes dont l’identité a été vérifiée par les services du Conseil. Faites vérifier votre compte en présentant votre carte nationale à un guichet du Conseil.
take-part-rule-proposal-association-representative = Seul un représentant de l’association peut faire une proposition en son nom.
take-part-already-exists = C’est déjà fait.
