# The Regional Forum's desk, the programs desk, the certificate names desk and the moderation
# queue of the staff console.

staff-desk-forum = المنتدى الجهوي
staff-desk-forum-about = دورات المنتدى: إنشاء دورة، وإضافة محاورها وورشاتها (مع الدورة التكوينية التي تحتضنها) وتوصيات كل ورشة.
staff-desk-programs = برامج التكوين
staff-desk-programs-about = برامج التكوين وجمهورها ومرحلة الالتزام التي تخدمها؛ إنشاء برنامج تُبرمج في إطاره الدورات بعد ذلك.
staff-desk-certificate-names = أسماء الشهادات
staff-desk-certificate-names-about = الأسماء التي طلبها مشاركون غير متحقق منهم لشهاداتهم: المصادقة عليها كما هي أو بعد تصحيحها.

## The Forum desk

staff-forum-title = المنتدى الجهوي
staff-forum-intro = دورات المنتدى الجهوي للحوار والتشاور، الأحدث أولا. يجيب المجلس عن التوصيات في شباك «الردود والتتبع».
staff-forum-new-link = إنشاء دورة
staff-forum-none = لا توجد أي دورة حاليا.
staff-forum-dates = من { $from } إلى { $to }
staff-forum-back = العودة إلى دورات المنتدى
staff-forum-new-title = دورة جديدة للمنتدى
staff-forum-new-intro = العنوان بالعربية والفرنسية، وسنة الدورة وتواريخها. تُضاف محاورها وورشاتها بعد ذلك في صفحتها.
staff-forum-title_ar-label = العنوان بالعربية
staff-forum-title_fr-label = العنوان بالفرنسية
staff-forum-year-label = سنة الدورة
staff-forum-starts_on-label = اليوم الأول
staff-forum-ends_on-label = اليوم الأخير
staff-forum-create = إنشاء الدورة
staff-forum-title_ar-missing = اكتب العنوان بالعربية.
staff-forum-title_ar-invalid = العنوان بالعربية إلزامي ولا يتجاوز 200 حرف.
staff-forum-title_fr-missing = اكتب العنوان بالفرنسية.
staff-forum-title_fr-invalid = العنوان بالفرنسية إلزامي ولا يتجاوز 200 حرف.
staff-forum-year-missing = اكتب سنة الدورة.
staff-forum-year-invalid = تُكتب السنة بالأرقام، بين 2000 و2200.
staff-forum-starts_on-missing = حدد اليوم الأول.
staff-forum-starts_on-invalid = اليوم الأول ليس تاريخا صحيحا.
staff-forum-ends_on-missing = حدد اليوم الأخير.
staff-forum-ends_on-invalid = يجب أن يكون اليوم الأخير تاريخا صحيحا لا يسبق اليوم الأول.
staff-forum-edition-title = دورة المنتدى
staff-forum-public-link = عرض الصفحة العمومية للدورة
staff-forum-answers-link = الرد على توصيات الدورة (الردود والتتبع)
staff-forum-no-themes = لا محور لهذه الدورة بعد.
staff-forum-no-workshops = لا ورشة في هذا المحور.
staff-forum-session = الدورة المحتضنة:
staff-forum-no-session = بدون دورة (مساهمات كل شخص متصل)
staff-forum-session-none = بدون دورة
staff-forum-recommendations = التوصيات
staff-forum-contributions =
    { $count ->
        [zero] لا مساهمة
        [one] مساهمة واحدة
        [two] مساهمتان
        [few] { $n } مساهمات
        [many] { $n } مساهمة
       *[other] { $n } مساهمة
    }
staff-forum-add-theme = إضافة محور
staff-forum-add-theme-button = إضافة المحور
staff-forum-theme_title_ar-missing = اكتب عنوان المحور بالعربية.
staff-forum-theme_title_ar-invalid = عنوان المحور بالعربية إلزامي ولا يتجاوز 200 حرف.
staff-forum-theme_title_fr-missing = اكتب عنوان المحور بالفرنسية.
staff-forum-theme_title_fr-invalid = عنوان المحور بالفرنسية إلزامي ولا يتجاوز 200 حرف.
staff-forum-add-workshop = إضافة ورشة
staff-forum-workshop_theme-label = محور الورشة
staff-forum-workshop_province-label = إقليم الورشة
staff-forum-workshop_session-label = الدورة التي تحتضن الورشة
staff-forum-workshop_session-hint = الدورات من نوع «المنتدى» المبرمجة في شباك الدورات. مع دورة، لا يساهم في الورشة إلا من سُجّل حضوره فيها.
staff-forum-add-workshop-button = إضافة الورشة
staff-forum-workshop_theme-missing = اختر محور الورشة.
staff-forum-workshop_theme-invalid = اختر محورا من محاور هذه الدورة من القائمة.
staff-forum-workshop_title_ar-missing = اكتب عنوان الورشة بالعربية.
staff-forum-workshop_title_ar-invalid = عنوان الورشة بالعربية إلزامي ولا يتجاوز 200 حرف.
staff-forum-workshop_title_fr-missing = اكتب عنوان الورشة بالفرنسية.
staff-forum-workshop_title_fr-invalid = عنوان الورشة بالفرنسية إلزامي ولا يتجاوز 200 حرف.
staff-forum-workshop_province-missing = اختر إقليم الورشة.
staff-forum-workshop_province-invalid = اختر إقليما من أقاليم الجهة من القائمة.
staff-forum-workshop_session-invalid = اختر دورة من القائمة.
staff-forum-rule-forum-session-unknown = هذه الدورة غير معروفة لدى المنتدى (بعد): اختر دورة أخرى أو أعد المحاولة بعد لحظة.
staff-forum-rule-forum-session-not-forum = هذه الدورة ليست من دورات المنتدى: اختر دورة من نوع «المنتدى».
staff-forum-add-recommendation = تسجيل توصية
staff-forum-add-recommendation-intro = توصية صادرة عن ورشة. يجيب عنها المجلس بعد ذلك في شباك «الردود والتتبع».
staff-forum-recommendation_workshop-label = الورشة
staff-forum-recommendation_text-label = نص التوصية
staff-forum-add-recommendation-button = تسجيل التوصية
staff-forum-recommendation_workshop-missing = اختر ورشة التوصية.
staff-forum-recommendation_workshop-invalid = اختر ورشة من ورشات هذه الدورة من القائمة.
staff-forum-recommendation_text-missing = اكتب نص التوصية.
staff-forum-recommendation_text-invalid = لا يتجاوز نص التوصية 5.000 حرف.
staff-forum-done-created = أُنشئت الدورة. أضف محاورها ثم ورشاتها.
staff-forum-done-theme = أُضيف المحور.
staff-forum-done-workshop = أُضيفت الورشة.
staff-forum-done-recommendation = سُجّلت التوصية، وهي في انتظار رد المجلس.

## The programs desk

staff-programs-title = برامج التكوين
staff-programs-intro = برامج تقوية القدرات، الأحدث أولا. تُبرمج الدورات بعد ذلك في إطار برنامج، في شباك الدورات.
staff-program-new-link = إنشاء برنامج
staff-programs-none = لا يوجد أي برنامج حاليا.
staff-programs-back = العودة إلى البرامج
staff-program-whole-region = الجهة كلها
staff-program-created = تاريخ الإنشاء
staff-program-done-created = أُنشئ البرنامج، ويمكن برمجة دوراته.
staff-program-new-title = برنامج تكوين جديد
staff-program-new-intro = العنوان والأهداف بالعربية والفرنسية، والجمهور المستهدف، ومرحلة الالتزام التي يخدمها البرنامج، وأقاليمه إن لم يشمل الجهة كلها.
staff-program-title_ar-label = العنوان بالعربية
staff-program-title_fr-label = العنوان بالفرنسية
staff-program-objectives_ar-label = الأهداف بالعربية
staff-program-objectives_fr-label = الأهداف بالفرنسية
staff-program-audience-label = الجمهور المستهدف
staff-program-milestone-label = مرحلة الالتزام التي يخدمها
staff-program-province-label = الأقاليم
staff-program-province-legend = الأقاليم المعنية (بدون تحديد: الجهة كلها)
staff-program-create = إنشاء البرنامج
staff-program-audience-instance_members = أعضاء الهيئات الاستشارية
staff-program-audience-associations = الجمعيات
staff-program-audience-youth = الشباب
staff-program-audience-women = النساء
staff-program-audience-staff = موظفو المجلس
staff-program-audience-public = عموم المواطنين
staff-program-audience-unspecified = جمهور غير محدد
staff-program-title_ar-missing = اكتب العنوان بالعربية.
staff-program-title_ar-invalid = العنوان بالعربية إلزامي ولا يتجاوز 200 حرف.
staff-program-title_fr-missing = اكتب العنوان بالفرنسية.
staff-program-title_fr-invalid = العنوان بالفرنسية إلزامي ولا يتجاوز 200 حرف.
staff-program-objectives_ar-missing = اكتب الأهداف بالعربية.
staff-program-objectives_ar-invalid = الأهداف بالعربية إلزامية ولا تتجاوز 4.000 حرف.
staff-program-objectives_fr-missing = اكتب الأهداف بالفرنسية.
staff-program-objectives_fr-invalid = الأهداف بالفرنسية إلزامية ولا تتجاوز 4.000 حرف.
staff-program-audience-missing = اختر جمهورا واحدا على الأقل.
staff-program-audience-invalid = اختر الجمهور من القائمة.
staff-program-milestone-missing = اختر المرحلة التي يخدمها البرنامج.
staff-program-milestone-invalid = اختر مرحلة من القائمة.
staff-program-province-invalid = اختر أقاليم من أقاليم الجهة.

## The certificate names desk

staff-names-title = أسماء الشهادات
staff-names-intro = هؤلاء المشاركون لم يُتحقق من هويتهم: لا يظهر الاسم الذي طلبوه في التحقق العمومي من شهادتهم قبل مصادقتك. صادق عليه كما هو أو صححه أولا.
staff-names-none = لا اسم في انتظار المصادقة.
staff-names-name-label = الاسم الذي يُطبع على الشهادة
staff-names-name-hint = الاسم كما طُلب؛ صححه عند الحاجة قبل المصادقة.
staff-names-approve = المصادقة على هذا الاسم
staff-names-name-missing = اكتب الاسم الذي يُطبع.
staff-names-name-invalid = لا يتجاوز الاسم 200 حرف، ودون رموز تحكم.
staff-names-done-approved = صودق على الاسم: يظهر الآن في التحقق العمومي من الشهادة.
staff-names-refused = لم يعد هذا الاسم في انتظار المصادقة (صودق عليه أو حُذف الحساب). لم يتغير أي شيء.

## The moderation queue

staff-moderation-queue = قائمة الإشراف
staff-moderation-queue-intro = التعليقات والمساهمات في المنتدى المبلغ عنها أو المخفية، الأحدث أولا. تُخفى المساهمة مع ذكر السبب أو يُعاد إظهارها هنا؛ أما التعليق ففي صفحة استشارته.
staff-moderation-queue-empty = لا شيء يحتاج إلى الإشراف حاليا.
staff-moderation-consultations = التعليقات حسب الاستشارة
staff-moderation-kind-contribution = مساهمة في المنتدى
staff-moderation-kind-comment = تعليق
staff-moderation-awaiting-review = أخفته التبليغات، في انتظار قرارك
staff-moderation-reports = التبليغات:
staff-moderation-comment-link = الإشراف على هذا التعليق في صفحة استشارته
staff-moderation-contribution-reason-label = سبب إخفاء هذه المساهمة
staff-moderation-contribution-reason-missing = اذكر سبب إخفاء هذه المساهمة.
staff-moderation-contribution-reason-invalid = لا يتجاوز السبب 500 حرف.
staff-moderation-contribution-hide = إخفاء المساهمة
staff-moderation-contribution-restore = إعادة إظهار المساهمة
staff-moderation-contribution-hidden = أُخفيت المساهمة؛ يرى صاحبها والعموم أنها أُخفيت.
staff-moderation-contribution-restored = أُعيد إظهار المساهمة.
staff-moderation-contribution-refused = عولجت هذه المساهمة في الأثناء. لم يتغير أي شيء.
staff-forum-edit-theme-link = تصحيح المحور
staff-forum-edit-workshop-link = تصحيح الورشة
staff-forum-edit-theme-title = تصحيح محور من محاور المنتدى
staff-forum-edit-workshop-title = تصحيح ورشة من ورشات المنتدى
staff-forum-edit-theme-intro = عنوان المحور بالعربية والفرنسية. تبقى النسخة الأمازيغية كما هي.
staff-forum-edit-workshop-intro = عنوان الورشة بالعربية والفرنسية، وإقليمها، والجلسة التي تحتضنها (اختيار «بدون دورة» يزيلها). تبقى المساهمات التي وصلت، وتحدد الجلسة من يساهم بعد ذلك.
staff-forum-save = حفظ التصحيح
staff-forum-edit-back = العودة إلى الدورة
staff-forum-done-theme-saved = صُحّح المحور.
staff-forum-done-workshop-saved = صُحّحت الورشة.
