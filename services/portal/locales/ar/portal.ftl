## The frame of every page

site-name = تشاور
site-tagline = منصة الديمقراطية التشاركية للجهة
skip-to-content = انتقل إلى المحتوى
nav-label = القائمة الرئيسية
nav-home = الرئيسية
nav-consultations = الاستشارات
nav-petitions = العرائض
nav-training = التكوين
nav-verify = التحقق من شهادة
language-label = اللغة
footer-about = تشاور منصة مفتوحة المصدر لمجلس الجهة، في إطار التزام الحكومة المنفتحة MALAA0004.
footer-open-data = البيانات المفتوحة
footer-api = وصف الواجهة البرمجية (OpenAPI)
page-title = { $page } – تشاور
pagination-label = تصفح الصفحات
pagination-next = الصفحة التالية
pagination-first = الصفحة الأولى
not-provided = غير محدد

## Home

home-title = شاركوا في قرارات جهتكم
home-lead = أبدوا رأيكم في برامج المجلس، قدموا مقترحاتكم، وقعوا العرائض، وتابعوا ما تحقق منها.
home-open-consultations = استشارات مفتوحة
home-collecting-petitions = عرائض قيد جمع التوقيعات
home-upcoming-sessions = دورات تكوينية قادمة
home-none-open = لا توجد استشارة مفتوحة حاليا.
home-none-collecting = لا توجد عريضة قيد جمع التوقيعات حاليا.
home-none-upcoming = لا توجد دورة قادمة حاليا.
home-see-all = عرض الكل

## Consultations

consultations-title = الاستشارات
consultations-lead = يستشير المجلس المواطنين والجمعيات في برامجه: برنامج التنمية الجهوية، الميزانية والمخططات القطاعية.
consultations-none = لا توجد استشارات بعد.
consultation-status-draft = مسودة
consultation-status-open = مفتوحة
consultation-status-closed = مغلقة
consultation-status-answered = نشرت خلاصتها
consultation-status-proposed = مقترحة، في انتظار الموافقة
consultation-status-rejected = اقتراح مرفوض
consultation-closes = تغلق في { $date }
consultation-opened = فتحت في { $date }
consultation-audience-public = مفتوحة للعموم
consultation-audience-associations = مخصصة للجمعيات
consultation-audience-instance_members = مخصصة لأعضاء الهيئات الاستشارية
consultation-participation-verified-only = مخصصة للأشخاص الذين تم التحقق من هويتهم
consultation-questions = أسئلة الاستبيان
consultation-synthesis = خلاصة المجلس
consultation-proposals = المقترحات
consultation-no-proposals = لا توجد مقترحات بعد.
consultation-provinces = الأقاليم المعنية:
consultation-follow = تابع هذه الاستشارة
consultation-unfollow = توقف عن المتابعة
consultation-follow-about = تابعها لتصلك رسالة حين تُفتح أو تُغلق أو يرد عليها المجلس.
consultation-following = أنت تتابع هذه الاستشارة: ستصلك رسالة حين تُفتح أو تُغلق أو يرد عليها المجلس.
consultation-whole-region = الجهة كلها
consultation-launched-by = أطلقتها الهيئة الاستشارية
consultation-tamazight = بالأمازيغية
question-required = (إجباري)
question-optional = (اختياري)
supports-count =
    { $count ->
        [zero] لا دعم
        [one] دعم واحد
        [two] دعمان
        [few] { $n } دعمات
        [many] { $n } دعما
       *[other] { $n } دعم
    }
proposal-study-required = بلغ عتبة الدراسة: على المجلس دراسته
proposal-answer-evaluating = قيد الدراسة
proposal-answer-accepted = مقبول
proposal-answer-partially_accepted = مقبول جزئيا
proposal-answer-rejected = مرفوض
proposal-answer-none = لم يجب عنه المجلس بعد

## Petitions

petitions-title = العرائض
petitions-lead = يمكن للمواطنين والجمعيات تقديم عرائض إلى مجلس الجهة لإدراج نقطة تدخل في صلاحياته في جدول أعماله (الدستور، الفصل 139؛ القانون التنظيمي 111.14).
petitions-none = لا توجد عرائض بعد.
petition-kind-citizen = عريضة مواطنين
petition-kind-association = عريضة جمعية
petition-status-draft = مسودة
petition-status-collecting = قيد جمع التوقيعات
petition-status-deposited = مودعة
petition-status-admissible = مقبولة ومدرجة في جدول الأعمال
petition-status-rejected = مرفوضة
petition-status-closed = مغلقة
signatures-count =
    { $count ->
        [zero] لا توقيعات
        [one] توقيع واحد
        [two] توقيعان
        [few] { $n } توقيعات
        [many] { $n } توقيعا
       *[other] { $n } توقيع
    }
petition-progress = { $signatures } من أصل { $minimum } توقيع مطلوب لإيداع العريضة
petition-object = موضوع الطلب
petition-rules = القواعد المعمول بها
petition-rule-minimum = حد أدنى من { $minimum } توقيع، بالنظر إلى ساكنة الجهة ({ $population } نسمة).
petition-rule-share = يجب أن يقدم كل إقليم { $percent }٪ على الأقل من هذا الحد الأدنى، أي { $province_minimum } توقيع.
petition-rule-verified = لا يوقع إلا شخص تحقق المجلس من هويته، مرة واحدة لكل شخص.
petition-rule-residence = يقيم الموقعون في الجهة أو يزاولون فيها نشاطا اقتصاديا أو تجاريا أو مهنيا.
petition-rule-answer = يجيب المجلس الوكيل داخل أجل { $months } أشهر من الإيداع.
petition-by-province = التوقيعات حسب الإقليم
petition-province = الإقليم
petition-province-signatures = التوقيعات
petition-province-needed = المطلوب
petition-as-of = إلى غاية { $date }
petition-receipt = وصل الإيداع رقم { $number } بتاريخ { $date }
petition-answer-due = أجل جواب المجلس: { $date }
petition-late = تأخر جواب المجلس عن الأجل القانوني.
petition-session = أدرجت في دورة: { $session }
petition-rejection = أسباب الرفض

## Instance opinions

nav-opinions = آراء الهيئات
opinions-title = آراء الهيئات الاستشارية وأجوبة المجلس
opinions-lead = تعتمد هيئات التشاور آراء وتوصيات، ويجيب المجلس عن كل توصية ويتتبع تنفيذها.
opinions-none = لا توجد آراء معتمدة بعد.
opinion-adopted = اعتمد في { $date }
opinion-recommendations = التوصيات
opinion-vote = تصويت الأعضاء:
opinion-tally = { $for } مع، { $against } ضد، { $abstain }، من أصل { $members }
opinion-abstentions = { $n } امتناع
opinion-members =
    { $count ->
        [one] عضو واحد
        [two] عضوين
        [few] { $n } أعضاء
        [many] { $n } عضوا
       *[other] { $n } عضو
    }
instance-level-regional = هيئة جهوية
instance-level-provincial = هيئة إقليمية
instance-level-communal = هيئة جماعية
instance-level-unspecified = هيئة جهوية
referral-council = بإحالة من المجلس
referral-own_initiative = بمبادرة من الهيئة
referral-unspecified = غير محدد
recommendation-answer = جواب المجلس:
recommendation-answer-unspecified = لم يجب المجلس بعد
recommendation-answer-accepted = مقبولة
recommendation-answer-rejected = مرفوضة
recommendation-answer-under_study = قيد الدراسة
follow-up = التتبع:
follow-up-unspecified = لم يحدد بعد
follow-up-not_started = لم يبدأ التنفيذ
follow-up-in_progress = في طور التنفيذ
follow-up-implemented = منفذة

## Training

training-title = التكوين واللقاءات
training-lead = دورات تكوينية لأعضاء الهيئات الاستشارية والجمعيات، ولقاءات جهوية، ومنتدى الحوار والتشاور.
sessions-none = لا توجد دورات بعد.
session-kind-training_session = دورة تكوينية
session-kind-regional_meeting = لقاء جهوي
session-kind-forum = منتدى
session-status-scheduled = مبرمجة
session-status-held = انعقدت
session-status-cancelled = ألغيت
session-days = الأيام
session-day-times = { $date }، من { $start } إلى { $end }
session-day-time-unset = { $date }، التوقيت سيُعلن لاحقا
session-times-note = الأوقات بالتوقيت المحلي ({ $zone })
session-venue = المكان
session-online = عن بعد
session-seats-left =
    { $count ->
        [zero] لا مقاعد متبقية
        [one] مقعد واحد متبق
        [two] مقعدان متبقيان
        [few] { $n } مقاعد متبقية
        [many] { $n } مقعدا متبقيا
       *[other] { $n } مقعد متبق
    }
session-waitlist =
    { $count ->
        [zero] لا أحد في لائحة الانتظار
        [one] شخص واحد في لائحة الانتظار
        [two] شخصان في لائحة الانتظار
        [few] { $n } أشخاص في لائحة الانتظار
        [many] { $n } شخصا في لائحة الانتظار
       *[other] { $n } شخص في لائحة الانتظار
    }
session-calendar = أضيفوا هذه الدورة إلى يوميتكم (iCalendar)
training-calendar = كل الدورات القادمة في يوميتكم (iCalendar)
session-facilitators = المؤطرون

## Transparency

nav-transparency = الشفافية
transparency-title = الشفافية والتتبع
transparency-lead = ما أنجزته الجهة في إطار التزامها بالحكومة المنفتحة، والأرقام الشهرية للمشاركة، من نشاط المنصة الفعلي.
milestone-period = من { $from } إلى { $to }
milestone-status = الحالة المعلنة
milestone-proposed = الحالة المقترحة من النشاط
milestone-level = مستوى الإنجاز (آلية التقييم المستقلة)
milestone-late = انقضى أجل هذه المرحلة ولم تكتمل.
milestone-status-none = لم تحدد بعد
milestone-status-not_started = لم تبدأ
milestone-status-in_progress = في طور الإنجاز
milestone-status-stuck = متعثرة
milestone-status-finished = منجزة
milestone-status-incomplete = غير مكتملة
completion-unspecified = غير محدد
completion-no_evidence = لا دليل
completion-not_started = لم تبدأ
completion-limited = محدود
completion-substantial = جوهري
completion-complete = كامل
evidence-sessions-held = الدورات المنعقدة
evidence-participants = الحاضرون
evidence-certificates = الشهادات المسلمة
evidence-consultations = الاستشارات المفتوحة
evidence-contributions = المساهمات على المنصة
downloads-progress = تحميل تقرير التقدم:
downloads-indicators = تحميل المؤشرات:
indicators-title = المؤشرات الشهرية
indicators-exact = أرقام مضبوطة.
indicators-suppression = تحجب الخانات التي تخص أقل من 5 أشخاص، وكذا ما يسمح باستنتاجها، حماية للمعطيات الشخصية.
indicator-month = الشهر
indicator-value = القيمة
indicator-suppressed = محجوب
indicator-participants = المشاركون
indicator-participants-about = أشخاص مختلفون حضروا دورة أو أجابوا أو اقترحوا أو دعموا أو علقوا أو وقعوا
indicator-registrations = التسجيلات
indicator-registrations-about = التسجيلات في الدورات واللقاءات
indicator-certificates = الشهادات
indicator-certificates-about = الشهادات المسلمة للحاضرين
indicator-responses = الأجوبة
indicator-responses-about = أجوبة الاستبيانات، جواب لكل شخص واستشارة
indicator-proposals = المقترحات
indicator-proposals-about = المقترحات المقدمة في الاستشارات
indicator-signatures = التوقيعات
indicator-signatures-about = توقيعات العرائض القائمة

## Certificates

verify-title = التحقق من شهادة
verify-lead = أدخلوا رمز التحقق المطبوع على الشهادة لمعرفة ما إذا كانت صادرة عن المجلس.
verify-code-label = رمز التحقق
verify-code-hint = مثال: 7KQ2-M9XD
verify-submit = تحقق
verify-valid = هذه الشهادة صحيحة.
verify-holder = صاحب الشهادة
verify-session = الدورة
verify-program = البرنامج
verify-issued = تاريخ الإصدار
verify-not-found = لا توجد شهادة بهذا الرمز. تحققوا من الرمز وأعيدوا المحاولة.
verify-code-invalid = يتكون الرمز من حروف لاتينية وأرقام وشرطات فقط، مثل 7KQ2-M9XD.
verify-code-missing = أدخلوا رمز التحقق.

## Errors

error-prefix = خطأ:
error-summary-title = هناك مشكلة
error-not-found-title = الصفحة غير موجودة
error-not-found-body = إذا كتبتم العنوان بأنفسكم، فتحققوا من صحته.
error-unavailable-title = الخدمة غير متاحة مؤقتا
error-unavailable-body = نعتذر عن هذا الانقطاع. أعيدوا المحاولة بعد قليل.
error-internal-title = حدث خطأ
error-internal-body = لم نتمكن من عرض هذه الصفحة. أعيدوا المحاولة بعد قليل.
error-bad-request-title = طلب غير صالح
error-bad-request-body = تعذر فهم هذا الطلب.
error-back-home = العودة إلى الصفحة الرئيسية
error-form-expired-title = انتهت صلاحية هذه الاستمارة
error-form-expired-body = لم نتمكن من قبول هذه الاستمارة لأنها فُتحت منذ مدة طويلة أو أُرسلت من موقع آخر. ارجع إلى الصفحة، وأعد تحميلها، ثم حاول مرة أخرى. لم يُسجَّل أي شيء.
error-signed-out-title = انتهت جلستك
error-signed-out-body = لم تعد متصلاً، ربما لأنك خرجت من جهاز آخر. سجّل الدخول مرة أخرى للمتابعة.
error-forbidden-title = لا يمكنك القيام بهذا
error-forbidden-body = حسابك لا يسمح بهذا الإجراء. إذا كنت تظن أن هذا خطأ، فاتصل بمصالح المجلس.
error-sign-in-again = تسجيل الدخول مرة أخرى

## Months (Morocco)

month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = ماي
month-6 = يونيو
month-7 = يوليوز
month-8 = غشت
month-9 = شتنبر
month-10 = أكتوبر
month-11 = نونبر
month-12 = دجنبر

## Forms
nav-account = حسابي
form-invalid = بعض المعلومات غير صحيحة. راجعها ثم أعد المحاولة.
form-already-exists = هذا موجود من قبل.
form-too-many = محاولات كثيرة في وقت قصير. انتظر بضع دقائق ثم أعد المحاولة.
field-missing = هذه الخانة إلزامية.
field-invalid = هذه المعلومة غير صحيحة.
rule-broken = لا يمكن القيام بهذا الآن.

## Regional Forum
nav-forum = المنتدى الجهوي
forum-title = المنتدى الجهوي للحوار والتشاور
forum-lead = يجمع المنتدى كل سنة المواطنين والجمعيات والمنتخبين حول محاور وورشات في أقاليم الجهة. هنا ما قيل فيه وما أوصى به.
forum-none = لم تُنشر أي دورة من المنتدى بعد.
forum-when = من { $from } إلى { $to }
forum-no-themes = لم تُحدَّد محاور هذه الدورة بعد.
forum-recommendations = التوصيات
forum-contributions-title = المساهمات
forum-no-contributions = لا توجد مساهمات في هذه الورشة بعد.
forum-deleted-participant = مشارك حذف حسابه
forum-contributions = { $count ->
    [zero] لا توجد مساهمات
    [one] مساهمة واحدة
    [two] مساهمتان
    [few] { $n } مساهمات
    [many] { $n } مساهمة
   *[other] { $n } مساهمة
}

# Documents attached to a consultation or a session.
documents-title = الوثائق
documents-session-title = وثائق الدورة
document-size-bytes =
    { $count ->
        [zero] { $n } بايت
        [one] بايت واحد
        [two] بايتان
        [few] { $n } بايتات
        [many] { $n } بايتا
       *[other] { $n } بايت
    }
document-size-kb = { $size } كيلوبايت
document-size-mb = { $size } ميغابايت
document-download = تنزيل
