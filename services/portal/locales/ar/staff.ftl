# staff: the staff console of council staff and administrators.

nav-staff = فضاء الموظفين
account-staff = موظفو المجلس
account-link-staff = فتح فضاء الموظفين

## The console
staff-title = فضاء الموظفين
staff-lead = الشبابيك التي يسيّر منها موظفو المجلس المنصة. كل إجراء تتحقق منه من جديد المصلحة المعنية.
staff-nav-label = شبابيك الموظفين
staff-desk-home = الصفحة الرئيسية للفضاء
staff-desk-home-about = شبابيك الموظفين.
staff-desk-accounts = التحقق من الحسابات
staff-desk-accounts-about = البحث عن حساب، والتحقق من الهوية بالبطاقة الوطنية والإقليم، ومنح الأدوار (للمسؤولين).
staff-desk-sessions = الدورات التكوينية
staff-desk-sessions-about = التسجيلات بصيغة CSV، وشاشة الحضور في المكان مع رمز اليوم ورمز QR، وتسجيل انعقاد الدورة.
staff-you-admin = أنت مسؤول عن المنصة: يمكنك أيضاً منح الأدوار.
staff-you-staff = أنت من موظفي المجلس.
staff-you-observer = أنت ملاحِظ: تطّلع على تتبع الالتزام وسجل التدقيق دون أن تقوم بأي إجراء.
staff-actions = الإجراءات
staff-choose = اختر…
staff-refused = هذا غير ممكن الآن (مثلاً ليس للدورة يوم اليوم أو لم تنته بعد). لم يُسجَّل أي شيء.
staff-back-to-accounts = العودة إلى الحسابات
staff-back-to-sessions = العودة إلى الدورات

## Roles
staff-role-citizen = مواطن أو مواطنة
staff-role-association_representative = ممثل جمعية
staff-role-instance_member = عضو هيئة
staff-role-council_staff = موظف بالمجلس
staff-role-administrator = مسؤول عن المنصة
staff-role-observer = ملاحِظ (اطلاع فقط)

## Accounts
staff-accounts-title = التحقق من الحسابات
staff-accounts-query-label = البحث عن حساب
staff-accounts-query-hint = بداية البريد الإلكتروني أو رقم الهاتف أو الاسم الظاهر. اتركه فارغاً لعرض كل الحسابات.
staff-accounts-search = بحث
staff-accounts-none = لا يوجد حساب يطابق هذا البحث.
staff-accounts-caption = الحسابات التي وُجدت
staff-accounts-contact = وسيلة الاتصال
staff-accounts-roles = الأدوار
staff-accounts-verify = التحقق من الهوية
staff-accounts-set-roles = تعديل الأدوار
staff-accounts-verified = تم التحقق من الحساب. يُحفظ رقم البطاقة الوطنية مشفَّراً ولن يُعرض مرة أخرى.
staff-accounts-roles-saved = حُفظت أدوار الحساب. تسري عند دخوله المقبل.

## Verify
staff-verify-title = التحقق من الهوية
staff-verify-intro = قارن البطاقة الوطنية المقدَّمة حضورياً بالحساب، ثم أدخل رقمها وإقليم الإقامة. لا يُعرض الرقم مرة أخرى أبداً.
staff-verify-submit = التحقق من الحساب
field-cin-label = رقم البطاقة الوطنية للتعريف
field-cin-hint = حرف أو حرفان متبوعان بأرقام، مثلاً AB123456.
staff-verify-cin-missing = أدخل رقم البطاقة الوطنية.
field-cin-invalid = يجب أن يتكون الرقم من حرف أو حرفين متبوعين بأرقام، مثلاً AB123456.
field-residence_province_code-label = إقليم الإقامة
field-residence_province_code-hint = الإقليم المبين في البطاقة أو في وثيقة تثبت الإقامة: به تتحدد العرائض التي يمكن للشخص التوقيع عليها.
staff-verify-residence_province_code-missing = اختر إقليم الإقامة.
field-residence_province_code-invalid = اختر إقليماً من أقاليم الجهة.
field-legal_name-label = الاسم كما في البطاقة (اختياري)
field-legal_name-hint = يُطبع على شهادات التكوين.
field-legal_name-invalid = يجب ألا يتجاوز الاسم 200 حرف.
staff-verify-already-exists = حساب آخر تم التحقق منه بهذا الرقم من قبل.
rule-account-already-verified = تم التحقق من هذا الحساب من قبل.

## Roles form
staff-roles-title = تعديل الأدوار
staff-roles-legend = الأدوار الممنوحة
staff-roles-hint = دورا ممثل الجمعية وعضو الهيئة ينتجان عن الجمعيات والهيئات.
staff-roles-roles-missing = اختر دوراً واحداً على الأقل.
field-roles-invalid = لا تُمنح هنا إلا أدوار المواطن وموظف المجلس والمسؤول عن المنصة.
staff-roles-submit = حفظ الأدوار
staff-roles-rule-roles-self-demotion = لا يمكنك سحب دور المسؤول من نفسك.

## Sessions
staff-sessions-title = الدورات التكوينية
staff-sessions-none = لا توجد دورة مبرمجة.
staff-sessions-registrations = { $confirmed }، { $waitlisted }
staff-sessions-confirmed =
    { $count ->
        [zero] لا تسجيل مؤكد
        [one] تسجيل مؤكد واحد
        [two] تسجيلان مؤكدان
        [few] { $n } تسجيلات مؤكدة
        [many] { $n } تسجيلا مؤكدا
       *[other] { $n } تسجيل مؤكد
    }
staff-sessions-waitlisted =
    { $count ->
        [zero] لا أحد في لائحة الانتظار
        [one] شخص واحد في لائحة الانتظار
        [two] شخصان في لائحة الانتظار
        [few] { $n } أشخاص في لائحة الانتظار
        [many] { $n } شخصا في لائحة الانتظار
       *[other] { $n } شخص في لائحة الانتظار
    }
staff-sessions-csv = تنزيل التسجيلات (CSV)
staff-sessions-mark-held = تسجيل انعقاد الدورة
staff-sessions-held = سُجّل انعقاد الدورة: يمكن للمشاركين الحصول على شهاداتهم.

## The venue's screen
staff-screen-title = شاشة الحضور
staff-screen-intro = اعرض هذه الشاشة في القاعة. يتيح رمز اليوم للمشاركين تسجيل حضورهم من هواتفهم، ويتغير عند كل إصدار.
staff-screen-code = رمز اليوم
staff-screen-scan = امسح رمز QR لفتح صفحة تسجيل الحضور والرمز مُدخل فيها، أو أدخل الرمز في صفحة الدورة.
staff-screen-issue = عرض رمز اليوم
staff-screen-issue-again = إصدار رمز جديد
staff-screen-qr-label = رمز QR لصفحة تسجيل الحضور مع رمز اليوم

## Moderation
staff-desk-moderation = الإشراف على التعليقات والمساهمات
staff-desk-moderation-about = قائمة التعليقات والمساهمات في المنتدى المبلغ عنها أو المخفية، وتعليقات كل استشارة: إخفاء مع ذكر السبب، أو إعادة الإظهار.
staff-moderation-title = الإشراف على التعليقات والمساهمات
staff-moderation-intro = اختر استشارة لعرض تعليقاتها.
staff-moderation-none = لا توجد استشارة حالياً.
staff-moderation-comments-title = تعليقات للإشراف
staff-moderation-no-comments = لا توجد تعليقات على هذه الاستشارة.
staff-moderation-is-hidden = مخفي
staff-moderation-reason = سبب الإخفاء:
staff-moderation-reason-label = سبب إخفاء هذا التعليق
staff-moderation-reason-missing = اذكر سبب إخفاء هذا التعليق.
staff-moderation-hide = إخفاء التعليق
staff-moderation-restore = إعادة إظهار التعليق
staff-moderation-hidden = أُخفي التعليق؛ يرى صاحبه والعموم أنه أُخفي.
staff-moderation-restored = أُعيد إظهار التعليق.
staff-back-to-moderation = العودة إلى الإشراف

## Staff check-in
staff-check-in-title = لائحة الحضور
staff-check-in-intro = لمن ليس لديه هاتف أو لم يقبل رمزه: سجّل حضوره لهذا اليوم. يتضمن ملف CSV اسم صاحب كل رقم وصول.
staff-check-in-none = لا توجد تسجيلات مؤكدة.
staff-check-in-caption = التسجيلات المؤكدة، الحضور ليوم
staff-check-in-registrant = التسجيل
staff-check-in-arrival = رقم { $n }
staff-check-in-attended = الأيام المحضورة
staff-check-in-days =
    { $count ->
        [zero] لا يوم
        [one] يوم واحد
        [two] يومان
        [few] { $n } أيام
        [many] { $n } يوما
       *[other] { $n } يوم
    }
staff-check-in-today = اليوم
staff-check-in-present = حاضر
staff-check-in-submit = تسجيل الحضور
staff-check-in-done = سُجّل الحضور.

## Petitions desk
staff-desk-petitions = العرائض
staff-desk-petitions-about = العرائض المودعة التي تنتظر القرار مع أجلها؛ التصريح بالقبول مع الدورة، والرفض مع الأسباب، والإغلاق؛ وإدخال التوقيعات الورقية.
staff-petitions-title = العرائض
staff-petitions-intro = يبت المجلس في قبول كل عريضة مودعة ويجيب الوكيل داخل الأجل القانوني الموالي للإيداع. تظهر أولاً العرائض التي تنتظر القرار؛ اختر حالة أخرى لعرض غيرها.
staff-petitions-state-label = الحالة
staff-petitions-show = عرض
staff-petitions-state-deposited = مودعة، تنتظر القرار
staff-petitions-state-collecting = قيد جمع التوقيعات
staff-petitions-state-admissible = مقبولة
staff-petitions-state-rejected = مرفوضة
staff-petitions-state-closed = مغلقة
staff-petitions-state-draft = مسودات
staff-petitions-state-all = كل الحالات
staff-petitions-none-awaiting = لا توجد عريضة تنتظر القرار.
staff-petitions-none = لا توجد عريضة في هذه الحالة.
staff-petitions-late = متأخرة
staff-petitions-deposited-on = أودعت في { $date }، وصل رقم { $number }
staff-petitions-due = القرار مستحق في أجل أقصاه { $date }
staff-petition-title = شباك العريضة
staff-petition-law =
    { $count ->
        [zero] القانون: يبت المجلس في قبول العريضة ويجيب الوكيل داخل أجل لا أشهر من تاريخ الإيداع؛ تدرج العريضة المقبولة في جدول أعمال دورة عادية مسماة؛ ويكون الرفض معللاً. الجواب بعد هذا الأجل يبقى ممكناً، لكنه يوسم بالتأخر.
        [one] القانون: يبت المجلس في قبول العريضة ويجيب الوكيل داخل أجل شهر واحد من تاريخ الإيداع؛ تدرج العريضة المقبولة في جدول أعمال دورة عادية مسماة؛ ويكون الرفض معللاً. الجواب بعد هذا الأجل يبقى ممكناً، لكنه يوسم بالتأخر.
        [two] القانون: يبت المجلس في قبول العريضة ويجيب الوكيل داخل أجل شهرين من تاريخ الإيداع؛ تدرج العريضة المقبولة في جدول أعمال دورة عادية مسماة؛ ويكون الرفض معللاً. الجواب بعد هذا الأجل يبقى ممكناً، لكنه يوسم بالتأخر.
        [few] القانون: يبت المجلس في قبول العريضة ويجيب الوكيل داخل أجل { $n } أشهر من تاريخ الإيداع؛ تدرج العريضة المقبولة في جدول أعمال دورة عادية مسماة؛ ويكون الرفض معللاً. الجواب بعد هذا الأجل يبقى ممكناً، لكنه يوسم بالتأخر.
        [many] القانون: يبت المجلس في قبول العريضة ويجيب الوكيل داخل أجل { $n } شهرا من تاريخ الإيداع؛ تدرج العريضة المقبولة في جدول أعمال دورة عادية مسماة؛ ويكون الرفض معللاً. الجواب بعد هذا الأجل يبقى ممكناً، لكنه يوسم بالتأخر.
       *[other] القانون: يبت المجلس في قبول العريضة ويجيب الوكيل داخل أجل { $n } شهر من تاريخ الإيداع؛ تدرج العريضة المقبولة في جدول أعمال دورة عادية مسماة؛ ويكون الرفض معللاً. الجواب بعد هذا الأجل يبقى ممكناً، لكنه يوسم بالتأخر.
    }
staff-petition-subject = المجال
staff-petition-subject-other = مجال آخر
staff-petition-deposit = الإيداع
staff-petition-deadline = أجل القرار
staff-petition-answer = جواب المجلس
staff-petition-answered-on = صدر في { $date }
staff-petition-session = الدورة
staff-petition-late-body = تجاوز الأجل القانوني للجواب: سيوسم القرار بالتأخر.
staff-petition-signatures = التوقيعات
staff-petition-online =
    { $count ->
        [zero] لا توقيع عبر الإنترنت
        [one] توقيع واحد عبر الإنترنت
        [two] توقيعان عبر الإنترنت
        [few] { $n } توقيعات عبر الإنترنت
        [many] { $n } توقيعا عبر الإنترنت
       *[other] { $n } توقيع عبر الإنترنت
    }
staff-petition-paper =
    { $count ->
        [zero] لا توقيع ورقي
        [one] توقيع ورقي واحد أدخله الموظفون
        [two] توقيعان ورقيان أدخلهما الموظفون
        [few] { $n } توقيعات ورقية أدخلها الموظفون
        [many] { $n } توقيعا ورقيا أدخلها الموظفون
       *[other] { $n } توقيع ورقي أدخله الموظفون
    }
staff-petition-public = عرض الصفحة العمومية للعريضة
staff-back-to-petitions = العودة إلى العرائض
staff-petition-done-admitted = صُرّح بقبول العريضة وأدرجت في الدورة المذكورة.
staff-petition-done-rejected = رُفضت العريضة؛ تبلغ الأسباب إلى الوكيل وتنشر معها.
staff-petition-done-closed = أغلقت العريضة.
staff-petition-done-paper = سُجّل التوقيع الورقي. وهو يحتسب ككل توقيع.
staff-petition-done-refused = هذا غير ممكن في الحالة الحالية للعريضة. لم يُسجَّل أي شيء.
staff-paper-title = إدخال توقيع ورقي
staff-paper-intro = لشخص وقّع على اللائحة الورقية: تحقق من هويته حضورياً، ثم ابحث عن حسابه المتحقق منه. تطبق القواعد نفسها المطبقة عبر الإنترنت (حساب متحقق منه، الإقامة أو النشاط في الجهة، توقيع واحد لكل شخص)؛ ويُقيَّد الإدخال في السجل باسمك.
staff-paper-who-label = البريد الإلكتروني أو رقم هاتف حساب الموقّع
staff-paper-who-hint = كما هو مسجل في المنصة. يتم التحقق من الحساب في شباك التحقق.
staff-paper-who-missing = أدخل البريد الإلكتروني أو رقم هاتف حساب الموقّع.
staff-paper-who-unknown = لا يوجد حساب نشط بهذا البريد الإلكتروني أو رقم الهاتف.
staff-paper-who-invalid = لا يوجد حساب نشط بهذا البريد الإلكتروني أو رقم الهاتف.
staff-paper-declared_activity_province_code-label = إن كان الموقّع لا يقيم في الجهة: الإقليم الذي يصرح بمزاولة نشاطه فيه
staff-paper-declared_activity_province_code-hint = فقط إذا صرحت اللائحة الورقية بنشاط اقتصادي أو تجاري أو مهني في الجهة.
staff-paper-declared_activity_province_code-invalid = اختر إقليماً من أقاليم الجهة.
staff-paper-submit = تسجيل التوقيع
staff-paper-rule-petition-not-collecting = هذه العريضة لا تجمع التوقيعات الآن: لا يمكن تسجيل التوقيع.
staff-paper-rule-petition-signer-verified = هوية هذا الحساب غير متحقق منها: تحقق منها أولاً في شباك التحقق بالبطاقة الوطنية.
staff-paper-rule-petition-signer-residence = هذا الموقّع لا يقيم في الجهة: لا يمكنه التوقيع إلا إذا صرح بنشاط فيها (اختر الإقليم).
staff-paper-already-exists = سبق لهذا الشخص أن وقّع العريضة، عبر الإنترنت أو على الورق.
staff-admit-title = التصريح بالقبول
staff-admit-intro = تدرج العريضة في جدول أعمال الدورة العادية التي تسميها؛ ويطلع على ذلك الوكيل والعموم.
staff-admit-session-label = الدورة العادية للمجلس
staff-admit-session-hint = مثلاً «الدورة العادية لشهر مارس 2027»، 200 حرف على الأكثر.
staff-admit-session-missing = سمِّ الدورة العادية التي تدرج فيها العريضة.
staff-admit-session-invalid = يجب ألا يتجاوز اسم الدورة 200 حرف.
staff-admit-submit = التصريح بالقبول
staff-admit-rule-petition-transition = لا يمكن التصريح بقبول أو رفض إلا عريضة مودعة لم يبت فيها بعد.
staff-reject-title = الرفض
staff-reject-intro = يكون الرفض معللاً: تبلغ الأسباب إلى الوكيل وتنشر مع العريضة.
staff-reject-reasons-label = أسباب الرفض
staff-reject-reasons-hint = 2.000 حرف على الأكثر.
staff-reject-reasons-missing = اذكر أسباب الرفض.
staff-reject-reasons-invalid = يجب ألا تتجاوز الأسباب 2.000 حرف.
staff-reject-submit = رفض العريضة
staff-reject-rule-petition-transition = لا يمكن التصريح بقبول أو رفض إلا عريضة مودعة لم يبت فيها بعد.
staff-close-title = الإغلاق
staff-close-intro = بعد تنفيذ القرار، تغلق العريضة.
staff-close-submit = إغلاق العريضة
## Commitment tracker
staff-desk-commitments = تتبع الالتزامات
staff-desk-commitments-about = وضعية كل مرحلة مع تبريرها وأدلتها؛ تقرير التقدم بصيغة Markdown أو CSV أو JSON.
staff-tracker-title = تتبع الالتزامات
staff-tracker-lead = تأتي الأدلة من نشاط المنصة؛ وتُنشر الوضعية المعلنة وتبريرها في تقرير التقدم.
staff-tracker-downloads = تقرير التقدم
staff-tracker-md-ar = Markdown بالعربية
staff-tracker-md-fr = Markdown بالفرنسية
staff-tracker-csv = CSV
staff-tracker-json = JSON
staff-tracker-justification = التبرير
staff-tracker-set-on = أُعلنت في
staff-tracker-evidence = الأدلة
staff-tracker-evidence-scheduled = الدورات والأنشطة المبرمجة
staff-tracker-evidence-forums = منها منتديات منعقدة
staff-tracker-evidence-progress = التقدم نحو الهدف
staff-tracker-target-by-region = هدف حددته الجهة، إذ لا يحدد الالتزام أي رقم
staff-tracker-form-legend = إعلان وضعية هذه المرحلة
staff-tracker-status-label = الوضعية الجديدة
staff-tracker-justification-label = التبرير
staff-tracker-justification-hint = ما يثبت هذه الوضعية، من 10 إلى 2.000 حرف. يُنشر في تقرير التقدم.
staff-tracker-submit = حفظ الوضعية
staff-tracker-saved = حُفظت وضعية المرحلة.
staff-tracker-status-missing = اختر وضعية المرحلة.
staff-tracker-justification-missing = برّر الوضعية المختارة.
staff-tracker-justification-invalid = يجب أن يتكون التبرير من 10 إلى 2.000 حرف.
staff-tracker-none = لا يوجد التزام قيد التتبع.
staff-tracker-md-period = الفترة:
staff-tracker-md-as-of = التقدم إلى غاية
staff-tracker-md-milestone = المرحلة
staff-tracker-md-title = العنوان
staff-tracker-md-dates = التواريخ
staff-tracker-md-late = متأخرة
staff-tracker-md-yes = نعم
staff-tracker-md-no = لا
staff-tracker-md-no-status = لم يعلن المجلس عن أي وضعية بعد.

## Audit
staff-desk-audit = سجل التدقيق
staff-desk-audit-about = من فعل ماذا، ومتى، وعلى ماذا، ولأي سبب، في جميع الخدمات.
staff-audit-title = سجل التدقيق
staff-audit-lead = التغييرات الإدارية في جميع الخدمات، من الأحدث إلى الأقدم. يُشار إلى الأشخاص بمعرّفهم المستعار.
staff-audit-filter-label = الخدمة
staff-audit-all = جميع الخدمات
staff-audit-filter = تصفية
staff-audit-caption = مدخلات سجل التدقيق
staff-audit-when = متى (بالتوقيت العالمي)، الخدمة
staff-audit-who = من
staff-audit-action = الإجراء، على ماذا
staff-audit-reason = السبب
staff-audit-none = لا توجد مدخلات.
staff-audit-service-identity = الحسابات
staff-audit-service-consultation = التشاور
staff-audit-service-training = التكوين
staff-audit-service-reporting = التتبع والتقارير

## Sessions desk: scheduling, changing, cancelling sessions and issuing certificates
staff-session-new-title = برمجة دورة
staff-session-edit-title = تعديل الدورة
staff-session-edit = تعديل
staff-session-cancel = إلغاء الدورة
staff-session-form-intro = الأوقات هي أوقات مكان الدورة. تتحقق مصلحة التكوين من كل حقل.
staff-session-program-label = البرنامج
staff-session-program-hint = برنامج التكوين الذي تنتمي إليه الدورة.
staff-session-kind-label = نوع الدورة
staff-session-title_ar-label = العنوان بالعربية
staff-session-title_fr-label = العنوان بالفرنسية
staff-session-days-legend = الأيام
staff-session-days-hint = من يوم واحد إلى 31 يوما، لكل يوم ساعة بدايته ونهايته. اترك الأسطر التي لا تحتاجها فارغة.
staff-session-day = اليوم { $day }
staff-session-day-date-label = التاريخ
staff-session-day-start-label = البداية (HH:MM)
staff-session-day-end-label = النهاية (HH:MM)
staff-session-zone-note = بالتوقيت المحلي للمكان ({ $zone }).
staff-session-province-label = إقليم المكان
staff-session-address-label = عنوان المكان
staff-session-capacity-label = عدد المقاعد
staff-session-capacity-hint = بعد امتلائها، يوضع المسجلون في لائحة الانتظار.
staff-session-window-legend = فترة التسجيل
staff-session-opens-label = افتتاح التسجيل
staff-session-closes-label = اختتام التسجيل
staff-session-eligibility-label = من يمكنه التسجيل
staff-session-eligibility-open = كل شخص مسجل الدخول
staff-session-eligibility-instance_members = أعضاء هيئة استشارية
staff-session-eligibility-association_representatives = ممثلو جمعية
staff-session-eligibility-civil_society = أعضاء هيئة أو ممثلو جمعية
staff-session-schedule = برمجة الدورة
staff-session-save = حفظ التعديلات
staff-session-done-scheduled = تمت برمجة الدورة.
staff-session-done-saved = تم حفظ تعديلات الدورة.
staff-session-done-cancelled = تم إلغاء الدورة.
staff-session-program-invalid = اختر برنامج الدورة.
staff-session-kind-invalid = اختر نوع الدورة.
staff-session-title_ar-invalid = أدخل العنوان بالعربية (500 حرف على الأكثر).
staff-session-title_fr-invalid = أدخل العنوان بالفرنسية (500 حرف على الأكثر).
staff-session-days-invalid = أدخل من يوم واحد إلى 31 يوما، كل يوم مرة واحدة، ولا تكون كلها قد مضت.
staff-session-day-date-invalid = اليوم { $day }: أدخل تاريخا صحيحا.
staff-session-day-start-invalid = اليوم { $day }: أدخل ساعة البداية (HH:MM)، ساعة موجودة في ذلك اليوم.
staff-session-day-end-invalid = اليوم { $day }: أدخل ساعة النهاية (HH:MM)، بعد ساعة البداية في اليوم نفسه.
staff-session-province-invalid = اختر إقليما من أقاليم الجهة.
staff-session-address-invalid = أدخل عنوان المكان (500 حرف على الأكثر).
staff-session-capacity-invalid = أدخل عدد مقاعد بين 1 و100000.
staff-session-opens-invalid = أدخل تاريخ وساعة افتتاح التسجيل.
staff-session-closes-invalid = أدخل تاريخ وساعة اختتام التسجيل، بعد افتتاحه.
staff-session-eligibility-invalid = اختر من يمكنه التسجيل.
staff-session-rule-session-capacity-below-confirmed = لا يمكن أن يقل عدد المقاعد عن عدد التسجيلات المؤكدة.
staff-session-rule-session-days-locked = لم يعد ممكنا تغيير الأيام: سُجل حضور بالفعل.
staff-session-rule-session-not-scheduled = لم تعد هذه الدورة مبرمجة: انعقدت أو ألغيت.
staff-session-rule-session-cancelled = ألغيت هذه الدورة.
staff-session-cancel-title = إلغاء الدورة
staff-session-cancel-intro = سيُبلغ المسجلون بالإلغاء وسببه.
staff-session-cancel-confirmed =
    { $count ->
        [zero] لا أحد مسجل.
        [one] شخص واحد مسجل.
        [two] شخصان مسجلان.
        [few] { $n } أشخاص مسجلون.
        [many] { $n } شخصا مسجلا.
       *[other] { $n } شخص مسجل.
    }
staff-session-cancel-reason-label = سبب الإلغاء
staff-session-cancel-reason-hint = يُبلغ إلى المسجلين (500 حرف على الأكثر).
staff-session-cancel-reason-invalid = أدخل سبب الإلغاء (500 حرف على الأكثر).
staff-session-cancel-confirm = تأكيد الإلغاء
staff-certificates-title = الشهادات
staff-certificates-intro = تُسلم شهادة لكل مشارك مؤكد حضر أياما كافية؛ ومن كانت له شهادة لا يتسلمها مرتين.
staff-certificates-issue = تسليم الشهادات
staff-certificates-not-held = تُسلم الشهادات بعد تسجيل انعقاد الدورة.
staff-certificates-participants =
    { $count ->
        [zero] لا مشارك مؤكد.
        [one] مشارك مؤكد واحد.
        [two] مشاركان مؤكدان.
        [few] { $n } مشاركين مؤكدين.
        [many] { $n } مشاركا مؤكدا.
       *[other] { $n } مشارك مؤكد.
    }
staff-certificates-issued =
    { $count ->
        [zero] لم تُسلم أي شهادة.
        [one] سُلمت شهادة واحدة.
        [two] سُلمت شهادتان.
        [few] سُلمت { $n } شهادات.
        [many] سُلمت { $n } شهادة.
       *[other] سُلمت { $n } شهادة.
    }
staff-certificates-already =
    { $count ->
        [one] مشارك واحد كانت له شهادته من قبل.
        [two] مشاركان كانت لهما شهادتاهما من قبل.
       *[other] { $n } مشاركين كانت لهم شهاداتهم من قبل.
    }
staff-certificates-refused =
    { $count ->
        [one] مشارك واحد لا يستحقها حاليا (حضور غير كاف أو اسم ينتظر التأكيد).
        [two] مشاركان لا يستحقانها حاليا (حضور غير كاف أو اسم ينتظر التأكيد).
       *[other] { $n } مشاركين لا يستحقونها حاليا (حضور غير كاف أو اسم ينتظر التأكيد).
    }
