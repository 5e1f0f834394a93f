## Messages sent by email and SMS, in Arabic. Each kind has a subject, a body (the plain text
## and the HTML are made from it) and a short SMS text; links are added after the body.

greeting = مرحباً { $name }،
greeting-anonymous = مرحباً،
link-label = للاطلاع على التفاصيل:
footer = تصلك هذه الرسالة من منصة تشاور للمشاركة المواطنة. يمكنك اختيار ما تُخبَر به من صفحة رسائلك.
footer-security = تصلك هذه الرسالة لأمان حسابك على منصة تشاور.

proposal_answered-subject = رد على مقترحك
proposal_answered-body =
    { $detail ->
        [accepted] قُبل مقترحك.
        [partially_accepted] قُبل مقترحك جزئياً.
        [rejected] رُفض مقترحك، وأسباب الرد منشورة مع المقترح.
       *[other] مقترحك قيد الدراسة.
    }
proposal_answered-sms = تشاور: نُشر رد على مقترحك.

petition_progress-subject = تقدم عريضة
petition_progress-body =
    { $detail ->
        [deposited] أودعت العريضة التي وقعتها لدى المجلس.
        [admitted] قُبلت العريضة التي وقعتها وأدرجت في جدول أعمال المجلس.
        [rejected] رُفضت العريضة التي وقعتها، وقرار الرفض معلل.
        [answered_late] صدر الرد على العريضة التي وقعتها بعد الأجل.
       *[other] تغيرت حالة العريضة التي وقعتها.
    }
petition_progress-sms = تشاور: تغيرت حالة عريضة وقعتها.

session_changed-subject = تغيير في دورة سجلت فيها
session_changed-body = تغيرت مواعيد أو مكان دورة سجلت فيها.
session_changed-sms = تشاور: تغيير في دورة سجلت فيها.

session_cancelled-subject = إلغاء دورة
session_cancelled-body = أُلغيت دورة سجلت فيها.
session_cancelled-sms = تشاور: أُلغيت دورة سجلت فيها.

registration_promoted-subject = مقعدك مؤكد
registration_promoted-body = تحرر مقعد: تسجيلك في الدورة مؤكد الآن بعد أن كنت في قائمة الانتظار.
registration_promoted-sms = تشاور: تأكد تسجيلك في الدورة.

certificate_issued-subject = شهادتك جاهزة
certificate_issued-body = صدرت شهادة مشاركتك في الدورة.
certificate_issued-sms = تشاور: صدرت شهادتك.

consultation_progress-subject = جديد استشارة تتابعها
consultation_progress-body =
    { $detail ->
        [opened] فُتحت الاستشارة التي تتابعها، ويمكنك المشاركة فيها الآن.
        [closed] أُغلقت الاستشارة التي شاركت فيها، وسيُنشر الرد عليها.
        [answered] نُشر رد المجلس على الاستشارة التي شاركت فيها.
       *[other] تغيرت حالة استشارة شاركت فيها.
    }
consultation_progress-sms = تشاور: جديد في استشارة تتابعها.

new_consultation-subject = استشارة جديدة مفتوحة
new_consultation-body =
    { $detail ->
        [associations] فُتحت استشارة جديدة موجهة إلى الجمعيات.
        [instance_members] فُتحت استشارة جديدة موجهة إلى أعضاء الهيئات الاستشارية.
       *[other] فُتحت استشارة جديدة، ويمكنك المشاركة فيها الآن.
    }
new_consultation-sms = تشاور: فُتحت استشارة جديدة.

recommendation_answered-subject = رد المجلس على توصية لهيئتكم
recommendation_answered-body =
    { $detail ->
        [accepted] قبل المجلس توصية من رأي هيئتكم الاستشارية.
        [rejected] رفض المجلس توصية من رأي هيئتكم الاستشارية.
       *[other] توصية من رأي هيئتكم الاستشارية قيد الدراسة لدى المجلس.
    }
recommendation_answered-sms = تشاور: رد المجلس على توصية لهيئتكم.

recommendation_follow_up-subject = تتبع توصية لهيئتكم
recommendation_follow_up-body =
    { $detail ->
        [in_progress] بدأ تنفيذ توصية من رأي هيئتكم الاستشارية.
        [implemented] نُفذت توصية من رأي هيئتكم الاستشارية.
       *[other] تغير تتبع تنفيذ توصية من رأي هيئتكم الاستشارية.
    }
recommendation_follow_up-sms = تشاور: تغير تتبع توصية لهيئتكم.

password_changed-subject = تغيرت كلمة مرور حسابك
password_changed-body =
    { $detail ->
        [reset] أُعيد تعيين كلمة مرور حسابك وأُغلقت كل جلساتك.
       *[other] تغيرت كلمة مرور حسابك وأُغلقت كل جلساتك.
    } إن لم تكن أنت من فعل ذلك، فأعد تعيين كلمة المرور فوراً واتصل بالمجلس.
password_changed-sms = تشاور: تغيرت كلمة مرور حسابك. إن لم تكن أنت، أعد تعيينها.

digest-subject = { $count } رسائل جديدة على تشاور
digest-body = لديك عدة رسائل جديدة:
digest-sms = تشاور: لديك { $count } رسائل جديدة.

verify_contact-subject = تأكيد بريدك الإلكتروني
verify_contact-body = لتأكيد أن هذا العنوان لك، افتح الرابط أدناه. ينتهي أجله بعد وقت قصير، وإن لم تطلبه فتجاهل هذه الرسالة.
verify_contact-sms = تشاور: رمز تأكيد هاتفك { $code }

reset_password-subject = إعادة تعيين كلمة المرور
reset_password-body = طُلبت إعادة تعيين كلمة مرور حسابك. افتح الرابط أدناه لاختيار كلمة جديدة؛ لا يصلح إلا مرة واحدة ولوقت قصير. إن لم تطلبه فتجاهل هذه الرسالة.
reset_password-sms = تشاور: رمز إعادة تعيين كلمة المرور { $code }
