# Staff console: the "Answers and follow-up" desk (proposals, instance opinions' recommendations).

staff-desk-answers = الردود والتتبع
staff-desk-answers-about = المقترحات التي تنتظر الرد؛ الآراء المعتمدة للهيئات وتوصيات المنتدى: الرد على كل توصية ثم تتبع تنفيذها.
staff-answers-title = الردود والتتبع
staff-answers-intro = يرد المجلس على مقترحات الاستشارات وعلى توصيات الهيئات الاستشارية والمنتدى الجهوي، بأسباب تنشر.
staff-answers-proposals-title = مقترحات تنتظر الرد
staff-answers-proposals-intro = حسب الاستشارة: المقترحات التي لم يرد عليها أو التي هي قيد الدراسة.
staff-answers-proposals-none = لا مقترح ينتظر الرد في استشارات هذه الصفحة.
staff-answers-study-required = دراسة واجبة
staff-answers-supports =
    { $count ->
        [zero] لا دعم
        [one] دعم واحد
        [two] دعمان
        [few] { $n } أدعمة
        [many] { $n } دعما
       *[other] { $n } دعم
    }
staff-answers-opinions-title = الآراء المعتمدة للهيئات
staff-answers-opinions-intro = كل رأي معتمد مع توصياته: الرد عليها ثم تتبع تنفيذها.
staff-answers-opinions-none = لا رأي معتمد حتى الآن.
staff-answers-opinion-summary = التوصيات: { $count }، منها { $open } تنتظر الرد.
staff-answers-proposal-unspecified = بلا رد
staff-answers-proposal-evaluating = قيد الدراسة
staff-answers-proposal-accepted = مقبول
staff-answers-proposal-partially_accepted = مقبول جزئيا
staff-answers-proposal-rejected = مرفوض
staff-answers-answered-on = رد بتاريخ { $date }
staff-answers-proposal-title = الرد على مقترح
staff-answers-reasons = الأسباب
staff-answers-proposal-form-title = رد المجلس
staff-answers-proposal-form-intro = يمكن أن يسبق «قيد الدراسة» الرد النهائي؛ والرد النهائي (مقبول، مقبول جزئيا، مرفوض) لا يتغير بعد ذلك.
staff-answers-proposal-answer-label = الرد
staff-answers-proposal-answer-hint = اختر حالة المقترح.
staff-answers-proposal-answer-missing = اختر ردا.
staff-answers-proposal-answer-invalid = اختر ردا من القائمة.
staff-answers-proposal-reasons-label = أسباب الرد
staff-answers-proposal-reasons-hint = تنشر مع الرد؛ 5.000 حرف على الأكثر.
staff-answers-proposal-reasons-missing = اذكر أسباب الرد.
staff-answers-proposal-reasons-invalid = يجب ألا تتجاوز الأسباب 5.000 حرف.
staff-answers-proposal-submit = تسجيل الرد
staff-answers-proposal-rule-proposal-transition = تلقى هذا المقترح ردا نهائيا، أو لا يمكن أن يلي هذا الرد الرد الحالي. لم يسجل أي شيء.
staff-answers-proposal-final = صدر الرد النهائي: لا يتغير بعد ذلك.
staff-answers-back = العودة إلى الردود والتتبع
staff-answers-done-proposal = سجل الرد ونشر مع أسبابه.
staff-answers-opinion-title = رأي هيئة
staff-answers-adopted-on = اعتمد بتاريخ { $date }
staff-answers-recommendations = التوصيات
staff-answers-follow-up-label = · التتبع:
staff-answers-rec-unspecified = بلا رد
staff-answers-rec-accepted = مقبولة
staff-answers-rec-rejected = مرفوضة
staff-answers-rec-under_study = قيد الدراسة
staff-answers-follow-up-unspecified = غير محدد
staff-answers-follow-up-not_started = لم يبدأ التنفيذ
staff-answers-follow-up-in_progress = قيد التنفيذ
staff-answers-follow-up-implemented = نفذت
staff-answers-rec-title = توصية
staff-answers-rec-of = توصية من الرأي:
staff-answers-rec-answer = الرد
staff-answers-follow-up = التتبع
staff-answers-note = ملاحظة التتبع
staff-answers-rec-form-title = الرد على التوصية
staff-answers-rec-form-intro = يمكن أن يسبق «قيد الدراسة» القرار؛ وبعد القبول أو الرفض لا يتغير الرد.
staff-answers-rec-answer-label = الرد
staff-answers-rec-answer-hint = مقبولة أو قيد الدراسة أو مرفوضة.
staff-answers-rec-answer-missing = اختر ردا.
staff-answers-rec-answer-invalid = اختر ردا من القائمة.
staff-answers-rec-reasons-label = أسباب الرد
staff-answers-rec-reasons-hint = تنشر مع الرد، للهيئة أو للمشاركين في المنتدى؛ 5.000 حرف على الأكثر.
staff-answers-rec-reasons-missing = اذكر أسباب الرد.
staff-answers-rec-reasons-invalid = يجب ألا تتجاوز الأسباب 5.000 حرف.
staff-answers-rec-submit = تسجيل الرد
staff-answers-rec-rule-recommendation-transition = صدر قرار في هذه التوصية، أو لا يمكن أن يلي هذا الرد الرد الحالي. لم يسجل أي شيء.
staff-answers-rec-rule-opinion-not-adopted = الرأي غير معتمد: توصياته لا تستدعي ردا بعد.
staff-answers-follow-title = تتبع التنفيذ
staff-answers-follow-intro = تتقدم التوصية المقبولة من «لم يبدأ التنفيذ» إلى «قيد التنفيذ» ثم «نفذت»، دون رجوع.
staff-answers-follow-follow_up-label = المرحلة
staff-answers-follow-follow_up-hint = المرحلة التي بلغها التنفيذ.
staff-answers-follow-follow_up-missing = اختر مرحلة.
staff-answers-follow-follow_up-invalid = اختر مرحلة من القائمة.
staff-answers-follow-note-label = ملاحظة
staff-answers-follow-note-hint = اختيارية؛ 5.000 حرف على الأكثر.
staff-answers-follow-note-invalid = يجب ألا تتجاوز الملاحظة 5.000 حرف.
staff-answers-follow-submit = تسجيل التتبع
staff-answers-follow-rule-recommendation-follow-up-transition = التتبع يتقدم فقط: لا يمكن أن تلي هذه المرحلة المرحلة الحالية. لم يسجل أي شيء.
staff-answers-follow-rule-recommendation-follow-up-unchanged = التوصية في هذه المرحلة أصلا. لم يسجل أي شيء.
staff-answers-follow-rule-recommendation-not-accepted = لا تتبع إلا للتوصية المقبولة. لم يسجل أي شيء.
staff-answers-follow-rule-opinion-not-adopted = الرأي غير معتمد: توصياته بلا تتبع.
staff-answers-back-opinion = العودة إلى الرأي
staff-answers-done-answered = سجل الرد على التوصية.
staff-answers-done-followed = سجل تتبع التوصية.

# The Regional Forum's recommendations, on the same desk.
staff-answers-forum-editions-title = توصيات المنتدى الجهوي
staff-answers-forum-editions-intro = كل دورة من دورات المنتدى مع توصيات ورشاتها: الرد عليها ثم تتبع تنفيذها.
staff-answers-forum-editions-none = لا توجد أي دورة للمنتدى حاليا.
staff-answers-forum-title = توصيات دورة من دورات المنتدى
staff-answers-forum-none = لم تصدر ورشات هذه الدورة أي توصية بعد.
staff-answers-forum-theme = المحور:
staff-answers-forum-rec-of = توصية من الورشة:
staff-answers-back-forum = العودة إلى دورة المنتدى
