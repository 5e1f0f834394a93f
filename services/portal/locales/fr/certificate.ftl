# certificate

## The training certificate as a PDF (certificate_pdf.rs)

certificate-pdf-title = Attestation de présence
certificate-pdf-intro = La présente attestation certifie la participation de
certificate-pdf-attended = à la session de formation
certificate-pdf-program = du programme « { $program } »
certificate-pdf-period-label = Période
certificate-pdf-period = du { $first } au { $last }
certificate-pdf-period-one-day = le { $day }
certificate-pdf-days-label = Présence
certificate-pdf-days =
    { $count ->
        [one] { $n } jour
       *[other] { $n } jours
    }
certificate-pdf-issued-label = Délivrée le
certificate-pdf-code-label = Code de vérification
certificate-pdf-verify = Vérifiez cette attestation sur { $url } avec le code { $code }
