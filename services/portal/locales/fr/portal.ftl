## The frame of every page

site-name = Tachawor
site-tagline = La plateforme de démocratie participative de la région
skip-to-content = Aller au contenu
nav-label = Menu principal
nav-home = Accueil
nav-consultations = Consultations
nav-petitions = Pétitions
nav-training = Formations
nav-verify = Vérifier une attestation
language-label = Langue
footer-about = Tachawor est une plateforme libre du Conseil régional, au titre de l’engagement de gouvernement ouvert MALAA0004.
footer-open-data = Données ouvertes
footer-api = Description de l’API (OpenAPI)
page-title = { $page } – Tachawor
pagination-label = Pagination
pagination-next = Page suivante
pagination-first = Première page
not-provided = Non renseigné

## Home

home-title = Participez aux décisions de votre région
home-lead = Donnez votre avis sur les programmes du Conseil, proposez, signez des pétitions et suivez ce qu’il en advient.
home-open-consultations = Consultations ouvertes
home-collecting-petitions = Pétitions en cours de signature
home-upcoming-sessions = Prochaines formations
home-none-open = Aucune consultation n’est ouverte pour le moment.
home-none-collecting = Aucune pétition n’est en cours de signature pour le moment.
home-none-upcoming = Aucune formation n’est prévue pour le moment.
home-see-all = Tout voir

## Consultations

consultations-title = Consultations
consultations-lead = Le Conseil consulte les citoyens et les associations sur ses programmes : Programme de développement régional, budget, plans sectoriels.
consultations-none = Aucune consultation pour le moment.
consultation-status-draft = Brouillon
consultation-status-open = Ouverte
consultation-status-closed = Close
consultation-status-answered = Synthèse publiée
consultation-status-proposed = Proposée, en attente d’approbation
consultation-status-rejected = Proposition refusée
consultation-closes = Se termine le { $date }
consultation-opened = Ouverte le { $date }
consultation-audience-public = Ouverte à tous
consultation-audience-associations = Réservée aux associations
consultation-audience-instance_members = Réservée aux membres des instances consultatives
consultation-participation-verified-only = réservée aux personnes dont l’identité a été vérifiée
consultation-questions = Questions du questionnaire
consultation-synthesis = Synthèse du Conseil
consultation-proposals = Propositions
consultation-no-proposals = Aucune proposition pour le moment.
consultation-provinces = Provinces concernées :
consultation-follow = Suivre cette consultation
consultation-unfollow = Ne plus la suivre
consultation-follow-about = Suivez-la pour être prévenu quand elle s’ouvre, se clôt ou reçoit la réponse du Conseil.
consultation-following = Vous suivez cette consultation : vous serez prévenu quand elle s’ouvre, se clôt ou reçoit la réponse du Conseil.
consultation-whole-region = Toute la région
consultation-launched-by = Lancée par l’instance consultative
consultation-tamazight = En tamazight
question-required = (obligatoire)
question-optional = (facultatif)
supports-count =
    { $count ->
        [one] { $n } soutien
       *[other] { $n } soutiens
    }
proposal-study-required = Seuil atteint : le Conseil doit l’étudier
proposal-answer-evaluating = À l’étude
proposal-answer-accepted = Acceptée
proposal-answer-partially_accepted = Acceptée en partie
proposal-answer-rejected = Rejetée
proposal-answer-none = Le Conseil n’a pas encore répondu

## Petitions

petitions-title = Pétitions
petitions-lead = Les citoyens et les associations peuvent demander au Conseil régional d’inscrire à son ordre du jour une question relevant de ses compétences (Constitution, article 139 ; loi organique 111-14).
petitions-none = Aucune pétition pour le moment.
petition-kind-citizen = Pétition de citoyens
petition-kind-association = Pétition d’association
petition-status-draft = Brouillon
petition-status-collecting = En cours de signature
petition-status-deposited = Déposée
petition-status-admissible = Recevable, inscrite à l’ordre du jour
petition-status-rejected = Rejetée
petition-status-closed = Close
signatures-count =
    { $count ->
        [one] { $n } signature
       *[other] { $n } signatures
    }
petition-progress = { $signatures } sur les { $minimum } signatures requises pour déposer la pétition
petition-object = Objet de la demande
petition-rules = Les règles en vigueur
petition-rule-minimum = Au moins { $minimum } signatures, d’après la population de la région ({ $population } habitants).
petition-rule-share = Chaque province doit fournir au moins { $percent } % de ce minimum, soit { $province_minimum } signatures.
petition-rule-verified = Seule une personne dont le Conseil a vérifié l’identité peut signer, une fois par personne.
petition-rule-residence = Les signataires résident dans la région ou y exercent une activité économique, commerciale ou professionnelle.
petition-rule-answer = Le Conseil répond au mandataire dans les { $months } mois qui suivent le dépôt.
petition-by-province = Signatures par province
petition-province = Province
petition-province-signatures = Signatures
petition-province-needed = Requises
petition-as-of = Au { $date }
petition-receipt = Récépissé de dépôt n° { $number } du { $date }
petition-answer-due = Réponse du Conseil attendue au plus tard le { $date }
petition-late = Le Conseil a dépassé le délai légal de réponse.
petition-session = Inscrite à la session : { $session }
petition-rejection = Motifs du rejet

## Instance opinions

nav-opinions = Avis des instances
opinions-title = Avis des instances consultatives et réponses du Conseil
opinions-lead = Les instances consultatives adoptent des avis et des recommandations ; le Conseil répond à chacune et en suit la mise en œuvre.
opinions-none = Aucun avis adopté pour le moment.
opinion-adopted = Adopté le { $date }
opinion-recommendations = Recommandations
opinion-vote = Vote des membres :
opinion-tally = { $for } pour, { $against } contre, { $abstain }, sur { $members }
opinion-abstentions =
    { $count ->
        [one] { $n } abstention
       *[other] { $n } abstentions
    }
opinion-members =
    { $count ->
        [one] { $n } membre
       *[other] { $n } membres
    }
instance-level-regional = instance régionale
instance-level-provincial = instance provinciale
instance-level-communal = instance communale
instance-level-unspecified = instance régionale
referral-council = Saisie par le Conseil
referral-own_initiative = À l’initiative de l’instance
referral-unspecified = Non précisé
recommendation-answer = Réponse du Conseil :
recommendation-answer-unspecified = Le Conseil n’a pas encore répondu
recommendation-answer-accepted = Acceptée
recommendation-answer-rejected = Rejetée
recommendation-answer-under_study = À l’étude
follow-up = Suivi :
follow-up-unspecified = Pas encore précisé
follow-up-not_started = Mise en œuvre non commencée
follow-up-in_progress = Mise en œuvre en cours
follow-up-implemented = Mise en œuvre

## Training

training-title = Formations et rencontres
training-lead = Formations pour les membres des instances consultatives et les associations, rencontres régionales et Forum du dialogue et de la concertation.
sessions-none = Aucune session pour le moment.
session-kind-training_session = Formation
session-kind-regional_meeting = Rencontre régionale
session-kind-forum = Forum
session-status-scheduled = Programmée
session-status-held = Tenue
session-status-cancelled = Annulée
session-days = Jours
session-day-times = { $date }, de { $start } à { $end }
session-day-time-unset = { $date }, horaire à confirmer
session-times-note = Heures locales ({ $zone })
session-venue = Lieu
session-online = En ligne
session-seats-left =
    { $count ->
        [one] { $n } place restante
       *[other] { $n } places restantes
    }
session-waitlist =
    { $count ->
        [one] { $n } personne en liste d’attente
       *[other] { $n } personnes en liste d’attente
    }
session-calendar = Ajouter cette session à votre agenda (iCalendar)
training-calendar = Toutes les sessions à venir dans votre agenda (iCalendar)
session-facilitators = Animation

## Transparency

nav-transparency = Transparence
transparency-title = Transparence et suivi
transparency-lead = Où en est l’engagement de gouvernement ouvert de la région, et les chiffres mensuels de la participation, tirés de l’activité réelle de la plateforme.
milestone-period = Du { $from } au { $to }
milestone-status = Statut déclaré
milestone-proposed = Statut proposé d’après l’activité
milestone-level = Niveau d’achèvement (mécanisme d’évaluation indépendant)
milestone-late = L’échéance de ce jalon est passée sans qu’il soit achevé.
milestone-status-none = Pas encore déclaré
milestone-status-not_started = Non commencé
milestone-status-in_progress = En cours
milestone-status-stuck = Bloqué
milestone-status-finished = Achevé
milestone-status-incomplete = Inachevé
completion-unspecified = Non précisé
completion-no_evidence = Aucune preuve
completion-not_started = Non commencé
completion-limited = Limité
completion-substantial = Substantiel
completion-complete = Complet
evidence-sessions-held = Sessions tenues
evidence-participants = Participants présents
evidence-certificates = Attestations délivrées
evidence-consultations = Consultations ouvertes
evidence-contributions = Contributions sur la plateforme
downloads-progress = Télécharger le rapport d’avancement :
downloads-indicators = Télécharger les indicateurs :
indicators-title = Indicateurs mensuels
indicators-exact = Chiffres exacts.
indicators-suppression = Les cases concernant moins de 5 personnes, et celles qui permettraient de les retrouver, sont masquées pour protéger les données personnelles.
indicator-month = Mois
indicator-value = Valeur
indicator-suppressed = Masqué
indicator-participants = Participants
indicator-participants-about = personnes distinctes ayant assisté à une session, répondu, proposé, soutenu, commenté ou signé
indicator-registrations = Inscriptions
indicator-registrations-about = inscriptions aux sessions et rencontres
indicator-certificates = Attestations
indicator-certificates-about = attestations délivrées aux présents
indicator-responses = Réponses
indicator-responses-about = réponses aux questionnaires, une par personne et consultation
indicator-proposals = Propositions
indicator-proposals-about = propositions déposées dans les consultations
indicator-signatures = Signatures
indicator-signatures-about = signatures de pétitions en vigueur

## Certificates

verify-title = Vérifier une attestation
verify-lead = Saisissez le code de vérification imprimé sur l’attestation pour savoir si elle a été délivrée par le Conseil.
verify-code-label = Code de vérification
verify-code-hint = Par exemple : 7KQ2-M9XD
verify-submit = Vérifier
verify-valid = Cette attestation est authentique.
verify-holder = Titulaire
verify-session = Session
verify-program = Programme
verify-issued = Délivrée le
verify-not-found = Aucune attestation ne porte ce code. Vérifiez le code et réessayez.
verify-code-invalid = Le code ne contient que des lettres, des chiffres et des tirets, par exemple 7KQ2-M9XD.
verify-code-missing = Saisissez le code de vérification.

## Errors

error-prefix = Erreur :
error-summary-title = Il y a un problème
error-not-found-title = Page introuvable
error-not-found-body = Si vous avez saisi l’adresse vous-même, vérifiez qu’elle est correcte.
error-unavailable-title = Service momentanément indisponible
error-unavailable-body = Veuillez nous excuser. Réessayez dans quelques instants.
error-internal-title = Une erreur s’est produite
error-internal-body = Nous n’avons pas pu afficher cette page. Réessayez dans quelques instants.
error-bad-request-title = Demande non valide
error-bad-request-body = Cette demande n’a pas pu être comprise.
error-back-home = Retour à l’accueil
error-form-expired-title = Ce formulaire a expiré
error-form-expired-body = Nous n’avons pas pu accepter ce formulaire : il était ouvert depuis trop longtemps ou a été envoyé depuis un autre site. Revenez à la page, rechargez-la et réessayez. Rien n’a été enregistré.
error-signed-out-title = Votre session a pris fin
error-signed-out-body = Vous n’êtes plus connecté, peut-être parce que vous vous êtes déconnecté sur un autre appareil. Connectez-vous à nouveau pour continuer.
error-forbidden-title = Vous ne pouvez pas faire cela
error-forbidden-body = Votre compte ne permet pas cette action. Si vous pensez que c’est une erreur, contactez les services du Conseil.
error-sign-in-again = Se connecter à nouveau

## Months

month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

## Forms
nav-account = Mon compte
form-invalid = Certaines informations ne sont pas valides. Vérifiez-les puis réessayez.
form-already-exists = Cela existe déjà.
form-too-many = Trop de tentatives en peu de temps. Attendez quelques minutes puis réessayez.
field-missing = Ce champ est obligatoire.
field-invalid = Cette information n’est pas valide.
rule-broken = Ce n’est pas possible pour le moment.

## Regional Forum
nav-forum = Forum régional
forum-title = Forum régional de dialogue et de concertation
forum-lead = Chaque année, le Forum réunit citoyens, associations et élus autour de thèmes et d’ateliers dans les provinces de la région. Voici ce qui s’y est dit et ce qui en a été recommandé.
forum-none = Aucune édition du Forum n’est encore publiée.
forum-when = Du { $from } au { $to }
forum-no-themes = Les thèmes de cette édition ne sont pas encore fixés.
forum-recommendations = Recommandations
forum-contributions-title = Contributions
forum-no-contributions = Aucune contribution à cet atelier pour l’instant.
forum-deleted-participant = Participant ayant supprimé son compte
forum-contributions = { $count ->
    [0] aucune contribution
    [one] { $n } contribution
   *[other] { $n } contributions
}

# Documents attached to a consultation or a session.
documents-title = Documents
documents-session-title = Documents de la session
document-size-bytes =
    { $count ->
        [one] { $n } octet
       *[other] { $n } octets
    }
document-size-kb = { $size } Ko
document-size-mb = { $size } Mo
document-download = Télécharger
