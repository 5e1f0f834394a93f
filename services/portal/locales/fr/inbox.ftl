## The signed-in person's inbox and its preferences (/account/notifications).

nav-inbox = Mes messages
inbox-title = Mes messages
inbox-unread-count =
    { $count ->
        [one] { $n } non lu
       *[other] { $n } non lus
    }
inbox-nothing-unread = Vous avez tout lu.
inbox-empty = Aucun message pour l’instant. Vous serez prévenu ici de ce qu’il advient de votre participation.
inbox-new = Nouveau
inbox-read = Lu
inbox-mark-one = Marquer comme lu
inbox-mark-all = Tout marquer comme lu
inbox-marked-one = Le message est marqué comme lu.
inbox-marked-nothing = Ce message était déjà lu.
inbox-marked-all = Tous vos messages sont marqués comme lus.
inbox-link-preferences = Choisir ce dont je suis prévenu
inbox-back = Retour à mes messages
account-link-inbox = Mes messages

inbox-kind-proposal_answered = Réponse à votre proposition
inbox-kind-petition_progress = Une pétition avance
inbox-kind-session_changed = Séance modifiée
inbox-kind-session_cancelled = Séance annulée
inbox-kind-registration_promoted = Place confirmée
inbox-kind-certificate_issued = Attestation délivrée
inbox-kind-consultation_progress = Une consultation avance
inbox-kind-password_changed = Mot de passe changé
inbox-kind-new_consultation = Nouvelle consultation
inbox-kind-recommendation_answered = Réponse à une recommandation de votre instance
inbox-kind-recommendation_follow_up = Suivi d’une recommandation de votre instance
inbox-kind-unknown = Message

inbox-text-proposal_answered = Le Conseil a répondu à votre proposition : { $answer }.
inbox-answer-other = réponse enregistrée
inbox-text-petition_progress-deposited = Une pétition que vous avez signée ou portez a été déposée auprès du Conseil.
inbox-text-petition_progress-admitted = Une pétition que vous avez signée ou portez a été déclarée recevable.
inbox-text-petition_progress-rejected = Une pétition que vous avez signée ou portez a été déclarée irrecevable.
inbox-text-petition_progress-answered_late = Le Conseil n’a pas répondu dans le délai à une pétition que vous avez signée ou portez.
inbox-text-petition_progress = Une pétition que vous avez signée ou portez a avancé.
inbox-text-session_changed = Une séance à laquelle vous êtes inscrit a changé : { $changed }.
inbox-text-session_changed-unsaid = Une séance à laquelle vous êtes inscrit a changé.
inbox-changed-days = les jours
inbox-changed-venue = le lieu
inbox-changed-capacity = le nombre de places
inbox-changed-title = l’intitulé
inbox-changed-online = la participation en ligne
inbox-changed-other = d’autres détails
inbox-text-session_cancelled = Une séance à laquelle vous étiez inscrit est annulée.
inbox-text-registration_promoted = Une place s’est libérée : votre inscription sur liste d’attente est confirmée.
inbox-text-certificate_issued = Votre attestation de présence est délivrée.
inbox-text-consultation_progress-opened = Une consultation que vous suivez est ouverte : vous pouvez y participer dès maintenant.
inbox-text-consultation_progress-closed = Une consultation à laquelle vous avez participé est close.
inbox-text-consultation_progress-answered = Le Conseil a publié sa réponse à une consultation à laquelle vous avez participé.
inbox-text-consultation_progress = Une consultation à laquelle vous avez participé a avancé.
inbox-text-password_changed-reset = Le mot de passe de votre compte a été réinitialisé et toutes vos sessions ont été fermées. Si ce n’était pas vous, réinitialisez-le aussitôt et prévenez le Conseil.
inbox-text-password_changed = Le mot de passe de votre compte a été changé et toutes vos sessions ont été fermées. Si ce n’était pas vous, réinitialisez-le aussitôt et prévenez le Conseil.
inbox-text-new_consultation-associations = Une nouvelle consultation, adressée aux associations, est ouverte.
inbox-text-new_consultation-instance_members = Une nouvelle consultation, adressée aux membres des instances consultatives, est ouverte.
inbox-text-new_consultation = Une nouvelle consultation est ouverte : vous pouvez y participer dès maintenant.
inbox-text-recommendation_answered-accepted = Le Conseil a accepté une recommandation de l’avis de votre instance consultative.
inbox-text-recommendation_answered-rejected = Le Conseil a rejeté une recommandation de l’avis de votre instance consultative.
inbox-text-recommendation_answered-under_study = Le Conseil étudie une recommandation de l’avis de votre instance consultative.
inbox-text-recommendation_answered = Le Conseil a répondu à une recommandation de l’avis de votre instance consultative.
inbox-text-recommendation_follow_up-not_started = La mise en œuvre d’une recommandation de l’avis de votre instance n’a pas commencé.
inbox-text-recommendation_follow_up-in_progress = La mise en œuvre d’une recommandation de l’avis de votre instance a commencé.
inbox-text-recommendation_follow_up-implemented = Une recommandation de l’avis de votre instance a été mise en œuvre.
inbox-text-recommendation_follow_up = Le suivi d’une recommandation de l’avis de votre instance a changé.
inbox-text-unknown = Du nouveau sur votre participation.

inbox-link-proposal = Voir la proposition
inbox-link-petition = Voir la pétition
inbox-link-session = Voir la séance
inbox-link-registration = Voir mes inscriptions
inbox-link-certificate = Voir mes inscriptions et attestations
inbox-link-consultation = Voir la consultation
inbox-link-account = Gérer mon mot de passe
inbox-link-recommendation = Voir les avis et recommandations
inbox-link-other = Voir

inbox-preferences-title = Ce dont je suis prévenu
inbox-preferences-intro = Pour chaque sorte de message, choisissez par où il vous parvient.
inbox-preferences-save = Enregistrer
inbox-preferences-saved = Vos préférences sont enregistrées.
inbox-preferences-invalid = Ces préférences ne peuvent pas être enregistrées. Rechargez la page et recommencez.
inbox-preferences-preferences-invalid = Ces préférences ne peuvent pas être enregistrées. Rechargez la page et recommencez.
inbox-channel-inbox = Ici, dans mes messages
inbox-channel-email = Par courriel
inbox-channel-sms = Par SMS
inbox-channel-other = Autre moyen
inbox-about-proposal_answered = Quand le Conseil répond à une proposition que vous avez faite.
inbox-about-petition_progress = Quand une pétition que vous avez signée ou portez est déposée, déclarée recevable ou non, ou reste sans réponse.
inbox-about-session_changed = Quand les jours ou le lieu d’une séance à laquelle vous êtes inscrit changent.
inbox-about-session_cancelled = Quand une séance à laquelle vous êtes inscrit est annulée.
inbox-about-registration_promoted = Quand une place se libère pour vous sur une liste d’attente.
inbox-about-certificate_issued = Quand votre attestation de présence est délivrée.
inbox-about-consultation_progress = Quand une consultation que vous suivez, ou à laquelle vous avez participé, s’ouvre, est close ou reçoit la réponse du Conseil.
inbox-about-new_consultation = Quand une nouvelle consultation s’ouvre, même si vous ne la suivez pas (désactivé tant que vous ne le choisissez pas).
inbox-about-recommendation_answered = Quand le Conseil répond à une recommandation de l’avis d’une instance consultative dont vous êtes membre.
inbox-about-recommendation_follow_up = Quand le suivi de la mise en œuvre d’une recommandation de l’avis de votre instance change.
inbox-about-unknown = Autres nouvelles de votre participation.
