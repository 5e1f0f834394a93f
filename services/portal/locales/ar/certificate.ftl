# certificate

## The training certificate as a PDF (certificate_pdf.rs)

certificate-pdf-title = شهادة حضور
certificate-pdf-intro = تشهد هذه الوثيقة بمشاركة
certificate-pdf-attended = في الدورة التكوينية
certificate-pdf-program = ضمن برنامج «{ $program }»
certificate-pdf-period-label = الفترة
certificate-pdf-period = من { $first } إلى { $last }
certificate-pdf-period-one-day = يوم { $day }
certificate-pdf-days-label = الحضور
certificate-pdf-days =
    { $count ->
        [zero] لا أيام
        [one] يوم واحد
        [two] يومان
        [few] { $n } أيام
        [many] { $n } يوما
       *[other] { $n } يوم
    }
certificate-pdf-issued-label = تاريخ التسليم
certificate-pdf-code-label = رمز التحقق
certificate-pdf-verify = تحقق من صحة هذه الشهادة على { $url } باستعمال الرمز { $code }
