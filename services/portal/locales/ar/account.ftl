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
