# training-forms

## A signed-in person's training pages (handlers/training_forms.rs)

training-form-register-link = S’inscrire à cette session
training-form-my-registrations = Mes inscriptions aux sessions
training-form-back-to-session = Retour à la page de la session
training-form-all-sessions = Toutes les formations et rencontres
training-form-places = Places

training-form-register-title = S’inscrire à une session
training-form-register-already = Vous êtes inscrit à cette session.
training-form-register-already-waitlisted = Vous êtes inscrit sur la liste d’attente de cette session.
training-form-register-not-open = Les inscriptions à cette session ne sont pas ouvertes en ce moment.
training-form-register-what = Ce que signifie l’inscription
training-form-register-seat = Il reste des places : en vous inscrivant, une place vous est réservée.
training-form-register-full = Toutes les places sont prises : vous serez inscrit sur la liste d’attente et recevrez automatiquement une place si un participant se désiste, dans l’ordre des inscriptions.
training-form-register-attend = Vous vous engagez à suivre les journées de la session.
training-form-register-check-in = Chaque jour de la session, vous enregistrez votre présence avec le code affiché sur place.
training-form-register-certificate = Si vous assistez au nombre de jours requis, vous recevez une attestation de présence que chacun peut vérifier.
training-form-register-cancel = Vous pouvez annuler votre inscription tant que la session n’a pas eu lieu, pour libérer votre place.
training-form-register-submit = M’inscrire à cette session
training-form-register-submit-waitlist = M’inscrire sur la liste d’attente

training-form-registered-title = Votre inscription est enregistrée
training-form-registered-body = Vous êtes inscrit à cette session : votre place est réservée.
training-form-waitlisted-title = Vous êtes sur la liste d’attente
training-form-waitlisted-body = Toutes les places sont prises. Vous êtes inscrit sur la liste d’attente, en position { $n }.
training-form-not-registered-title = Vous n’êtes pas inscrit à cette session
training-form-not-registered-body = Vous n’avez pas d’inscription en cours à cette session.
training-form-next-title = Et ensuite
training-form-next-registered = Venez aux journées de la session et enregistrez votre présence avec le code affiché sur place. Si vous ne pouvez plus venir, annulez votre inscription pour qu’une autre personne profite de votre place.
training-form-next-waitlisted = Si une place se libère, elle vous est attribuée automatiquement selon votre position ; vous le verrez dans vos inscriptions.

training-form-registrations-title = Mes inscriptions aux sessions
training-form-registrations-none = Vous n’êtes encore inscrit à aucune session.
training-form-status-registered = Inscrit
training-form-status-attended = Présent
training-form-status-cancelled = Annulée
training-form-status-waitlisted = Sur liste d’attente (position { $n })
training-form-session-held = La session a eu lieu.
training-form-session-cancelled = La session a été annulée.
training-form-days-attended =
    { $count ->
        [one] { $n } jour de présence
       *[other] { $n } jours de présence
    }
training-form-evaluated = Vous avez évalué cette session.
training-form-link-check-in = Enregistrer ma présence aujourd’hui
training-form-link-evaluate = Évaluer la session
training-form-link-certificate = Télécharger mon attestation de présence (PDF)
training-form-link-cancel = Annuler mon inscription
training-form-done-cancelled = Votre inscription est annulée.
training-form-done-checked-in = Votre présence est enregistrée pour aujourd’hui.
training-form-done-evaluated = Merci, votre évaluation est envoyée.
training-form-done-certificate-name = Le nom à imprimer sur votre attestation est enregistré. Vous pourrez la télécharger une fois ce nom validé par les services du Conseil.

training-form-cancel-title = Annuler mon inscription
training-form-cancel-what = Votre place sera libérée et attribuée à la première personne de la liste d’attente. Vous pourrez vous réinscrire tant que les inscriptions sont ouvertes, sans garantie d’obtenir une place.
training-form-cancel-what-waitlisted = Vous perdrez votre position sur la liste d’attente.
training-form-cancel-submit = Annuler mon inscription
training-form-cancel-keep = Garder mon inscription et revenir à mes inscriptions
training-form-cancel-nothing = Vous n’avez pas d’inscription en cours à cette session : il n’y a rien à annuler.

training-form-check-in-title = Enregistrer ma présence
training-form-check-in-intro = Saisissez le code à 6 chiffres affiché aujourd’hui sur le lieu de la session. Le code change toutes les quelques minutes : utilisez celui affiché en ce moment.
training-form-check-in-submit = Enregistrer ma présence

training-form-evaluate-title = Évaluer la session
training-form-evaluate-intro = Votre évaluation aide le Conseil à améliorer les prochaines sessions. Votre nom n’est jamais publié avec elle.
training-form-evaluate-submit = Envoyer mon évaluation

training-form-certificate-title = Attestation de présence
training-form-certificate-name-pending = Le nom que vous avez demandé pour votre attestation attend la validation des services du Conseil. Vous pourrez la télécharger une fois ce nom validé.
training-form-certificate-name-erased = Cette attestation ne peut plus être téléchargée : le nom qu’elle portait a été effacé avec votre ancien compte.
training-form-certificate-name-submit = Envoyer le nom

## Registering (form "training-register")

training-register-rule-registration-not-eligible = Cette session est réservée à d’autres participants : vous ne pouvez pas vous y inscrire.
training-register-rule-session-not-scheduled = Il n’est plus possible de s’inscrire : cette session a eu lieu ou a été annulée.
training-register-rule-registration-not-open = Les inscriptions à cette session ne sont pas encore ouvertes.
training-register-rule-registration-closed = Les inscriptions à cette session sont closes.
training-register-already-exists = Vous êtes déjà inscrit à cette session.

## Cancelling (form "training-cancel")

training-cancel-rule-session-not-scheduled = Il n’est plus possible d’annuler : cette session a eu lieu ou a été annulée.
training-cancel-rule-registration-cancelled = Votre inscription à cette session est déjà annulée.

## Checking in (form "check-in")

check-in-code-label = Code de présence
check-in-code-hint = 6 chiffres, par exemple 482913.
check-in-code-missing = Saisissez le code affiché sur le lieu de la session.
check-in-code-invalid = Le code compte exactement 6 chiffres.
check-in-rule-check-in-code-invalid = Ce code n’est pas le bon. Vérifiez le code affiché aujourd’hui sur le lieu de la session, puis réessayez.
check-in-rule-check-in-code-expired = Ce code a expiré. Saisissez celui affiché en ce moment.
check-in-rule-check-in-not-a-session-day = Aujourd’hui n’est pas un jour de cette session : la présence s’enregistre uniquement les jours de la session.
check-in-rule-check-in-not-confirmed = Seuls les participants ayant une place enregistrent leur présence, ce qui n’est pas votre cas.
check-in-rule-session-not-scheduled = Il n’est plus possible d’enregistrer sa présence : cette session a eu lieu ou a été annulée.
check-in-too-many = Vous avez saisi trop de codes erronés aujourd’hui. Adressez-vous à l’accueil de la session pour faire enregistrer votre présence.
check-in-not-registered = Vous n’êtes pas inscrit à cette session : vous ne pouvez pas y enregistrer votre présence.
check-in-already-exists = Votre présence est déjà enregistrée pour aujourd’hui.

## Evaluating (form "evaluate")

evaluate-satisfaction-legend = Êtes-vous satisfait de cette session ?
evaluate-satisfaction-5 = Très satisfait
evaluate-satisfaction-4 = Satisfait
evaluate-satisfaction-3 = Moyennement satisfait
evaluate-satisfaction-2 = Peu satisfait
evaluate-satisfaction-1 = Pas du tout satisfait
evaluate-satisfaction-missing = Choisissez votre niveau de satisfaction.
evaluate-satisfaction-invalid = Choisissez l’un des niveaux proposés.
evaluate-comment-label = Vos remarques (facultatif)
evaluate-comment-hint = Ce qui vous a été utile, ce qui pourrait être amélioré. 2 000 caractères au plus.
evaluate-comment-invalid = Vos remarques ne doivent pas dépasser 2 000 caractères.
evaluate-scores-legend = Résultats des tests (facultatif)
evaluate-scores-hint = Si vous avez passé un test avant et après la session, indiquez votre note de 0 à 100.
evaluate-pre_test_score-label = Note au test avant la session
evaluate-post_test_score-label = Note au test après la session
evaluate-pre_test_score-invalid = Indiquez un nombre de 0 à 100, ou laissez le champ vide.
evaluate-post_test_score-invalid = Indiquez un nombre de 0 à 100, ou laissez le champ vide.
evaluate-rule-evaluation-not-a-participant = Seuls les participants ayant eu une place évaluent la session.
evaluate-rule-evaluation-not-attended = Seules les personnes présentes évaluent la session, et aucune présence n’est enregistrée pour vous.
evaluate-rule-evaluation-too-early = Vous pourrez évaluer la session à partir de son dernier jour.
evaluate-rule-session-cancelled = Cette session a été annulée : elle ne peut pas être évaluée.
evaluate-already-exists = Vous avez déjà évalué cette session ; une évaluation ne s’envoie qu’une fois.

## The certificate (form "certificate-request")

certificate-request-rule-certificate-name-required = Votre identité n’a pas été vérifiée par le Conseil : nous ne connaissons pas votre nom officiel. Indiquez le nom à imprimer sur votre attestation ; après sa validation par les services du Conseil, vous pourrez la télécharger. Vous pouvez aussi faire vérifier votre identité avec votre carte nationale auprès des services du Conseil.
certificate-request-rule-certificate-session-not-held = Les attestations sont délivrées une fois la tenue de la session enregistrée par le Conseil. Réessayez plus tard.
certificate-request-rule-certificate-not-a-participant = L’attestation est délivrée uniquement aux participants ayant eu une place à la session.
certificate-request-rule-certificate-attendance-below-threshold = Vous n’avez pas assisté au nombre de jours requis : aucune attestation de présence ne peut vous être délivrée.
certificate-request-already-exists = Une attestation vous a déjà été délivrée pour cette session.
certificate-request-certificate_name-label = Nom à imprimer sur l’attestation
certificate-request-certificate_name-hint = Vos prénom et nom, tels qu’ils figurent sur votre carte nationale d’identité.
certificate-request-certificate_name-missing = Indiquez le nom à imprimer sur votre attestation.
certificate-request-certificate_name-invalid = Le nom ne doit pas dépasser 200 caractères.
