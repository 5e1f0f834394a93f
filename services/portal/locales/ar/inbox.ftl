## The signed-in person's inbox and its preferences (/account/notifications).

nav-inbox = رسائلي
inbox-title = رسائلي
inbox-unread-count =
    { $count ->
        [zero] لا رسائل غير مقروءة
        [one] رسالة واحدة غير مقروءة
        [two] رسالتان غير مقروءتين
        [few] { $n } رسائل غير مقروءة
        [many] { $n } رسالة غير مقروءة
       *[other] { $n } رسالة غير مقروءة
    }
inbox-nothing-unread = قرأت كل رسائلك.
inbox-empty = لا رسائل بعد. ستُخبر هنا بما آلت إليه مشاركتك.
inbox-new = جديدة
inbox-read = مقروءة
inbox-mark-one = تعليم كمقروءة
inbox-mark-all = تعليم الكل كمقروء
inbox-marked-one = عُلّمت الرسالة كمقروءة.
inbox-marked-nothing = كانت هذه الرسالة مقروءة من قبل.
inbox-marked-all = عُلّمت كل رسائلك كمقروءة.
inbox-link-preferences = اختيار ما أُخبَر به
inbox-back = العودة إلى رسائلي
account-link-inbox = رسائلي

inbox-kind-proposal_answered = رد على مقترحك
inbox-kind-petition_progress = تقدم عريضة
inbox-kind-session_changed = تغيير في دورة
inbox-kind-session_cancelled = إلغاء دورة
inbox-kind-registration_promoted = تأكيد مقعدك
inbox-kind-certificate_issued = تسليم شهادة
inbox-kind-consultation_progress = تقدم استشارة
inbox-kind-password_changed = تغيير كلمة المرور
inbox-kind-new_consultation = استشارة جديدة
inbox-kind-recommendation_answered = رد على توصية لهيئتكم
inbox-kind-recommendation_follow_up = تتبع توصية لهيئتكم
inbox-kind-unknown = رسالة

inbox-text-proposal_answered = ردّ المجلس على مقترحك: { $answer }.
inbox-answer-other = رد مسجل
inbox-text-petition_progress-deposited = أودعت لدى المجلس عريضة وقعتها أو تمثلها.
inbox-text-petition_progress-admitted = قُبلت عريضة وقعتها أو تمثلها.
inbox-text-petition_progress-rejected = رُفضت عريضة وقعتها أو تمثلها.
inbox-text-petition_progress-answered_late = لم يرد المجلس في الأجل على عريضة وقعتها أو تمثلها.
inbox-text-petition_progress = تقدمت عريضة وقعتها أو تمثلها.
inbox-text-session_changed = تغيّر في دورة سجلت فيها: { $changed }.
inbox-text-session_changed-unsaid = تغيّرت دورة سجلت فيها.
inbox-changed-days = الأيام
inbox-changed-venue = المكان
inbox-changed-capacity = عدد المقاعد
inbox-changed-title = العنوان
inbox-changed-online = المشاركة عن بعد
inbox-changed-other = تفاصيل أخرى
inbox-text-session_cancelled = أُلغيت دورة كنت مسجلا فيها.
inbox-text-registration_promoted = شغر مقعد: تأكد تسجيلك الذي كان في قائمة الانتظار.
inbox-text-certificate_issued = سُلّمت شهادة حضورك.
inbox-text-consultation_progress-opened = فُتحت استشارة تتابعها، ويمكنك المشاركة فيها الآن.
inbox-text-consultation_progress-closed = أُغلقت استشارة شاركت فيها.
inbox-text-consultation_progress-answered = نشر المجلس رده على استشارة شاركت فيها.
inbox-text-consultation_progress = تقدمت استشارة شاركت فيها.
inbox-text-password_changed-reset = أُعيد تعيين كلمة مرور حسابك وأُغلقت كل جلساتك. إن لم تكن أنت من فعل ذلك، فأعد تعيينها فوراً وأخبر المجلس.
inbox-text-password_changed = تغيرت كلمة مرور حسابك وأُغلقت كل جلساتك. إن لم تكن أنت من فعل ذلك، فأعد تعيينها فوراً وأخبر المجلس.
inbox-text-new_consultation-associations = فُتحت استشارة جديدة موجهة إلى الجمعيات.
inbox-text-new_consultation-instance_members = فُتحت استشارة جديدة موجهة إلى أعضاء الهيئات الاستشارية.
inbox-text-new_consultation = فُتحت استشارة جديدة، ويمكنك المشاركة فيها الآن.
inbox-text-recommendation_answered-accepted = قبل المجلس توصية من رأي هيئتكم الاستشارية.
inbox-text-recommendation_answered-rejected = رفض المجلس توصية من رأي هيئتكم الاستشارية.
inbox-text-recommendation_answered-under_study = يدرس المجلس توصية من رأي هيئتكم الاستشارية.
inbox-text-recommendation_answered = رد المجلس على توصية من رأي هيئتكم الاستشارية.
inbox-text-recommendation_follow_up-not_started = لم يبدأ بعد تنفيذ توصية من رأي هيئتكم الاستشارية.
inbox-text-recommendation_follow_up-in_progress = بدأ تنفيذ توصية من رأي هيئتكم الاستشارية.
inbox-text-recommendation_follow_up-implemented = نُفذت توصية من رأي هيئتكم الاستشارية.
inbox-text-recommendation_follow_up = تغير تتبع توصية من رأي هيئتكم الاستشارية.
inbox-text-unknown = جديد عن مشاركتك.

inbox-link-proposal = عرض المقترح
inbox-link-petition = عرض العريضة
inbox-link-session = عرض الدورة
inbox-link-registration = عرض تسجيلاتي
inbox-link-certificate = عرض تسجيلاتي وشهاداتي
inbox-link-consultation = عرض الاستشارة
inbox-link-account = إدارة كلمة المرور
inbox-link-recommendation = عرض الآراء والتوصيات
inbox-link-other = عرض

inbox-preferences-title = ما أُخبَر به
inbox-preferences-intro = لكل نوع من الرسائل، اختر الطريقة التي تصلك بها.
inbox-preferences-save = حفظ
inbox-preferences-saved = حُفظت اختياراتك.
inbox-preferences-invalid = تعذر حفظ هذه الاختيارات. أعد تحميل الصفحة وحاول مجددا.
inbox-preferences-preferences-invalid = تعذر حفظ هذه الاختيارات. أعد تحميل الصفحة وحاول مجددا.
inbox-channel-inbox = هنا، في رسائلي
inbox-channel-email = بالبريد الإلكتروني
inbox-channel-sms = برسالة نصية
inbox-channel-other = وسيلة أخرى
inbox-about-proposal_answered = حين يرد المجلس على مقترح قدمته.
inbox-about-petition_progress = حين تودع عريضة وقعتها أو تمثلها، أو تُقبل أو تُرفض، أو يفوت أجل الرد عليها.
inbox-about-session_changed = حين تتغير أيام أو مكان دورة سجلت فيها.
inbox-about-session_cancelled = حين تُلغى دورة سجلت فيها.
inbox-about-registration_promoted = حين يشغر لك مقعد من قائمة الانتظار.
inbox-about-certificate_issued = حين تُسلّم شهادة حضورك.
inbox-about-consultation_progress = حين تُفتح استشارة تتابعها أو شاركت فيها، أو تُغلق، أو يرد عليها المجلس.
inbox-about-new_consultation = حين تُفتح أي استشارة جديدة، ولو لم تتابعها (معطل ما لم تختره).
inbox-about-recommendation_answered = حين يرد المجلس على توصية من رأي هيئة استشارية أنت عضو فيها.
inbox-about-recommendation_follow_up = حين يتغير تتبع تنفيذ توصية من رأي هيئة استشارية أنت عضو فيها.
inbox-about-unknown = أخبار أخرى عن مشاركتك.
