# Staff console: the documents attached to a consultation, a petition, an opinion or a session.

staff-documents-title = Documents joints
staff-documents-link = Documents joints (joindre, retirer)
staff-documents-of-consultation = Consultation :
staff-documents-of-petition = Pétition :
staff-documents-of-opinion = Avis de l’instance :
staff-documents-of-session = Session :
staff-documents-back-consultation = Retour à la consultation
staff-documents-back-petition = Retour à la pétition
staff-documents-back-opinion = Retour à l’avis
staff-documents-back-session = Retour aux sessions
staff-documents-attached = Documents déjà joints
staff-documents-none = Aucun document n’est joint pour le moment.
staff-documents-remove = Retirer
staff-documents-add = Joindre un document
staff-documents-file-label = Fichier
staff-documents-file-hint = Un PDF, une image PNG ou JPEG, un document OpenDocument ou Office (DOCX, XLSX, PPTX), de { $max } au plus. Le type est reconnu au contenu du fichier, pas à son nom. Le document est public dès que ce à quoi il est joint l’est.
staff-documents-file-missing = Choisissez le fichier à joindre.
staff-documents-file-too-large = Ce fichier est trop volumineux : { $max } au plus.
staff-documents-file-invalid = Ce fichier n’est pas accepté : joignez un PDF, une image PNG ou JPEG, ou un document OpenDocument ou Office.
staff-documents-added = Le document est joint.
staff-documents-removed = Le document est retiré.
