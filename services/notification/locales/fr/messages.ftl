## Messages sent by email and SMS, in French. Each kind has a subject, a body (the plain text
## and the HTML are made from it) and a short SMS text; links are added after the body.

greeting = Bonjour { $name },
greeting-anonymous = Bonjour,
link-label = Pour voir le détail :
footer = Ce message vous est envoyé par Tachawor, la plateforme de participation citoyenne. Vous choisissez ce dont vous êtes informé depuis la page de vos messages.
footer-security = Ce message vous est envoyé pour la sécurité de votre compte Tachawor.

proposal_answered-subject = Réponse à votre proposition
proposal_answered-body =
    { $detail ->
        [accepted] Votre proposition a été acceptée.
        [partially_accepted] Votre proposition a été partiellement acceptée.
        [rejected] Votre proposition a été rejetée ; les motifs de la réponse sont publiés avec elle.
       *[other] Votre proposition est à l'étude.
    }
proposal_answered-sms = Tachawor : votre proposition a reçu une réponse.

petition_progress-subject = Avancement d'une pétition
petition_progress-body =
    { $detail ->
        [deposited] La pétition que vous avez signée a été déposée auprès du conseil.
        [admitted] La pétition que vous avez signée a été déclarée recevable et inscrite à l'ordre du jour du conseil.
        [rejected] La pétition que vous avez signée a été rejetée par une décision motivée.
        [answered_late] La réponse à la pétition que vous avez signée est arrivée hors délai.
       *[other] La pétition que vous avez signée a changé d'état.
    }
petition_progress-sms = Tachawor : une pétition que vous avez signée a changé d'état.

session_changed-subject = Changement d'une session où vous êtes inscrit
session_changed-body = Les dates ou le lieu d'une session où vous êtes inscrit ont changé.
session_changed-sms = Tachawor : une session où vous êtes inscrit a changé.

session_cancelled-subject = Session annulée
session_cancelled-body = Une session où vous étiez inscrit a été annulée.
session_cancelled-sms = Tachawor : une session où vous étiez inscrit est annulée.

registration_promoted-subject = Votre place est confirmée
registration_promoted-body = Une place s'est libérée : votre inscription, en liste d'attente, est désormais confirmée.
registration_promoted-sms = Tachawor : votre inscription est confirmée.

certificate_issued-subject = Votre attestation est prête
certificate_issued-body = Votre attestation de participation à la session a été délivrée.
certificate_issued-sms = Tachawor : votre attestation est délivrée.

consultation_progress-subject = Du nouveau dans une consultation
consultation_progress-body =
    { $detail ->
        [opened] La consultation que vous suivez est ouverte : vous pouvez y participer dès maintenant.
        [closed] La consultation à laquelle vous avez participé est close ; sa réponse sera publiée.
        [answered] Le conseil a publié sa réponse à la consultation à laquelle vous avez participé.
       *[other] Une consultation à laquelle vous avez participé a changé d'état.
    }
consultation_progress-sms = Tachawor : du nouveau dans une consultation.

new_consultation-subject = Une nouvelle consultation est ouverte
new_consultation-body =
    { $detail ->
        [associations] Une nouvelle consultation, adressée aux associations, est ouverte.
        [instance_members] Une nouvelle consultation, adressée aux membres des instances consultatives, est ouverte.
       *[other] Une nouvelle consultation est ouverte : vous pouvez y participer dès maintenant.
    }
new_consultation-sms = Tachawor : une nouvelle consultation est ouverte.

recommendation_answered-subject = Réponse du conseil à une recommandation de votre instance
recommendation_answered-body =
    { $detail ->
        [accepted] Le conseil a accepté une recommandation de l'avis de votre instance consultative.
        [rejected] Le conseil a rejeté une recommandation de l'avis de votre instance consultative.
       *[other] Le conseil étudie une recommandation de l'avis de votre instance consultative.
    }
recommendation_answered-sms = Tachawor : le conseil a répondu à une recommandation de votre instance.

recommendation_follow_up-subject = Suivi d'une recommandation de votre instance
recommendation_follow_up-body =
    { $detail ->
        [in_progress] La mise en œuvre d'une recommandation de l'avis de votre instance a commencé.
        [implemented] Une recommandation de l'avis de votre instance a été mise en œuvre.
       *[other] Le suivi d'une recommandation de l'avis de votre instance a changé.
    }
recommendation_follow_up-sms = Tachawor : le suivi d'une recommandation de votre instance a changé.

password_changed-subject = Le mot de passe de votre compte a changé
password_changed-body =
    { $detail ->
        [reset] Le mot de passe de votre compte a été réinitialisé et toutes vos sessions fermées.
       *[other] Le mot de passe de votre compte a été changé et toutes vos sessions fermées.
    } Si ce n'était pas vous, réinitialisez-le sans attendre et prévenez le conseil.
password_changed-sms = Tachawor : votre mot de passe a changé. Si ce n'était pas vous, réinitialisez-le.

digest-subject = { $count } nouveaux messages sur Tachawor
digest-body = Vous avez plusieurs nouveaux messages :
digest-sms = Tachawor : vous avez { $count } nouveaux messages.

verify_contact-subject = Confirmez votre adresse électronique
verify_contact-body = Pour confirmer que cette adresse est la vôtre, ouvrez le lien ci-dessous. Il expire bientôt ; si vous ne l'avez pas demandé, ignorez ce message.
verify_contact-sms = Tachawor : code de confirmation de votre téléphone { $code }

reset_password-subject = Réinitialisation du mot de passe
reset_password-body = Une réinitialisation du mot de passe de votre compte a été demandée. Ouvrez le lien ci-dessous pour en choisir un nouveau ; il ne sert qu'une fois et expire bientôt. Si vous ne l'avez pas demandé, ignorez ce message.
reset_password-sms = Tachawor : code de réinitialisation du mot de passe { $code }
