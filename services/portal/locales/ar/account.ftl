# account: registering, signing in and out, and the person's own account pages.

## Sign in
sign-in-title = تسجيل الدخول
sign-in-submit = تسجيل الدخول
sign-in-wrong = البريد الإلكتروني أو رقم الهاتف أو كلمة المرور غير صحيحة.
sign-in-too-many = محاولات دخول كثيرة. انتظر قليلاً ثم أعد المحاولة.
sign-in-no-account = ليس لديك حساب؟
sign-in-register-link = أنشئ حساباً
sign-in-after-register = إذا كان لديك حساب من قبل بهذا العنوان، فسجّل الدخول بكلمة مروره.
field-identifier-label = البريد الإلكتروني أو رقم الهاتف
field-identifier-hint = الذي استعملته عند إنشاء حسابك.
field-identifier-missing = أدخل بريدك الإلكتروني أو رقم هاتفك.
field-password-label = كلمة المرور
field-password-hint = 10 أحرف على الأقل. يمكنك استعمال جملة تتذكرها بسهولة.
field-password-missing = أدخل كلمة المرور.

## Register
register-title = إنشاء حساب
register-lead = بحساب على تشاور يمكنك الإجابة على الاستشارات، ودعم المقترحات، والتوقيع على العرائض، والتسجيل في الدورات التكوينية.
register-submit = إنشاء الحساب
register-have-account = لديك حساب؟ سجّل الدخول
register-privacy = لا نستعمل بريدك الإلكتروني ورقم هاتفك إلا للتواصل معك بخصوص مشاركتك. لا يظهر اسمك للعموم إلا إذا أردت ذلك.
register-email-or-phone = أدخل بريدك الإلكتروني أو رقم هاتفك.
field-display_name-label = الاسم المعروض
field-display_name-hint = الاسم الذي يظهر مع مساهماتك.
field-display_name-missing = أدخل الاسم الذي سيظهر مع مساهماتك.
field-display_name-invalid = يجب أن يتكون الاسم من 2 إلى 100 حرف.
field-email-label = البريد الإلكتروني
field-email-hint = اختياري إذا أدخلت رقم هاتف.
field-email-invalid = أدخل بريداً إلكترونياً بصيغة صحيحة، مثل name@example.ma.
field-phone-label = رقم الهاتف
field-phone-hint = اختياري إذا أدخلت بريداً إلكترونياً. مثال: 0612345678
field-phone-invalid = أدخل رقم هاتف مغربياً صحيحاً، مثل 0612345678.
register-password-invalid = يجب أن تتكون كلمة المرور من 10 أحرف على الأقل.

## My account
account-title = حسابي
account-welcome = تم إنشاء حسابك وأنت الآن متصل.
account-verification = التحقق من الهوية
account-verified-on = تم التحقق في { $date }
account-not-verified = لم يتم التحقق بعد
account-how-to-verify = للتوقيع على العرائض، يجب التحقق من هويتك: قدّم بطاقتك الوطنية لمصالح المجلس أو في إحدى نقط الاستقبال.
account-sign-out = تسجيل الخروج
account-updated = تم حفظ التغييرات.
account-back = العودة إلى حسابي
account-taking-part = مشاركتي
account-link-registrations = تسجيلاتي في الدورات التكوينية
account-link-petitions = عرائضي
account-link-associations = جمعياتي
account-settings = إعدادات الحساب
account-link-profile = الاسم واللغة
account-link-statistics = المعلومات الإحصائية
account-link-export = تحميل نسخة من معطياتي
account-link-delete = حذف حسابي

## Profile
profile-title = الاسم واللغة
profile-language-legend = لغة المراسلات
profile-language-hint = اللغة التي نراسلك بها ونعرض بها المنصة عند تسجيل الدخول.
profile-language-missing = اختر لغة.
profile-save = حفظ
profile-display_name-missing = أدخل الاسم الذي سيظهر مع مساهماتك.

## Statistics
statistics-title = المعلومات الإحصائية
statistics-notice = يمكنك، إن شئت، أن تشاركنا جنسك وفئتك العمرية وإقليم إقامتك. لا تُستعمل هذه المعلومات إلا في إحصائيات مجمّعة تبيّن من يشارك في الحياة العامة للجهة، ولا تُنشر أبداً عن شخص بعينه. يمكنك سحب موافقتك في أي وقت، فتُحذف هذه المعلومات.
statistics-share-legend = هل توافق على استعمال هذه المعلومات لأغراض إحصائية؟
statistics-share-yes = نعم، أوافق
statistics-share-no = لا، لا أوافق (تُحذف المعلومات المسجّلة)
statistics-share-missing = اختر ما إذا كنت توافق أم لا.
statistics-what = المعلومات التي تشاركها
statistics-what-hint = كل خانة اختيارية. لا تُسجَّل إلا إذا وافقت أعلاه.
statistics-gender-legend = الجنس
statistics-gender-female = أنثى
statistics-gender-male = ذكر
statistics-not-said = أفضّل عدم الإجابة
statistics-age-label = الفئة العمرية
statistics-age-under-18 = أقل من 18 سنة
statistics-age-18-24 = من 18 إلى 24 سنة
statistics-age-25-34 = من 25 إلى 34 سنة
statistics-age-35-44 = من 35 إلى 44 سنة
statistics-age-45-54 = من 45 إلى 54 سنة
statistics-age-55-64 = من 55 إلى 64 سنة
statistics-age-65-plus = 65 سنة فما فوق
statistics-province-label = إقليم الإقامة

## Export
export-title = تحميل نسخة من معطياتي
export-lead = يمكنك تحميل ملف يضم كل ما تحتفظ به المنصة عنك:
export-identity = حسابك، وموافقاتك، والجمعيات التي تمثلها، وعضويتك في الهيئات؛
export-consultation = إجاباتك على الاستشارات، ومقترحاتك ودعمك لها، وتعليقاتك، والعرائض التي قدمتها أو وقعتها؛
export-training = تسجيلاتك في الدورات التكوينية، وتقييماتك، وشواهدك.
export-format = الملف بصيغة JSON، وهي صيغة مفتوحة يمكن قراءتها ببرامج كثيرة.
export-download = تحميل معطياتي

## Delete
delete-title = حذف حسابي
delete-lead = حذف الحساب نهائي ولا يمكن التراجع عنه.
delete-erased = تُمحى معطياتك الشخصية: اسمك، وبريدك الإلكتروني، ورقم هاتفك، ومعلومات هويتك.
delete-kept = تبقى مساهماتك بدون اسم، وتظل الأرقام الإحصائية المجمّعة كما هي.
delete-export-first = إذا أردت الاحتفاظ بنسخة من معطياتك، فحمّلها قبل الحذف:
delete-password-label = أدخل كلمة المرور لتأكيد الحذف
delete-password-missing = أدخل كلمة المرور لتأكيد الحذف.
delete-wrong-password = كلمة المرور غير صحيحة.
delete-submit = حذف حسابي نهائياً
delete-cancel = إلغاء، الاحتفاظ بحسابي
deleted-title = تم حذف حسابك
deleted-body = محيت معطياتك الشخصية وتم تسجيل خروجك. شكراً على مشاركتك.
