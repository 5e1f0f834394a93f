# contact and passwords: verifying an email or phone, changing them, the consent to messages,
# changing a password and resetting a forgotten one.

## Links from other pages
sign-in-forgot-link = نسيت كلمة المرور؟
account-link-contact = البريد الإلكتروني والهاتف والرسائل
account-link-password = تغيير كلمة المرور
inbox-preferences-contacts = لا تُرسل الرسائل الإلكترونية والنصية إلا إلى عنوان أو رقم تم التحقق منه، وبموافقتك فقط:

## Shared fields
field-new_password-label = كلمة المرور الجديدة
field-new_password-hint = 10 أحرف على الأقل. جملة يسهل تذكرها مناسبة تماماً.
field-new_password-missing = أدخل كلمة مرور جديدة.
field-new_password-invalid = يجب أن تتكون كلمة المرور من 10 أحرف على الأقل.
field-new_password_again-label = كلمة المرور الجديدة مرة أخرى
field-new_password_again-different = كلمتا المرور غير متطابقتين: أدخل الكلمة نفسها مرتين.
field-current_password-label = كلمة المرور الحالية
field-current_password-missing = أدخل كلمة المرور الحالية.
field-code-label = الرمز الذي وصلك في رسالة نصية
field-code-hint = أرقام الرسالة النصية، مثلاً 123456.
field-code-missing = أدخل الرمز الذي وصلك في رسالة نصية.
field-code-invalid = هذا الرمز غير صحيح أو سبق استعماله أو انتهت صلاحيته. تحقق منه أو اطلب رمزاً جديداً.

## Forgotten password
forgot-title = نسيت كلمة المرور
forgot-lead = أدخل البريد الإلكتروني أو رقم الهاتف الخاص بحسابك. إذا كان قد تم التحقق منه، نرسل إليه رابطاً (بالبريد الإلكتروني) أو رمزاً (برسالة نصية) لاختيار كلمة مرور جديدة.
forgot-submit = توصل برابط أو رمز
forgot-back-to-sign-in = العودة إلى تسجيل الدخول
forgot-sent-title = اطلع على رسائلك
forgot-sent-email = إذا كان هناك حساب بهذا البريد الإلكتروني، فرسالة في الطريق إليه برابط لاختيار كلمة مرور جديدة. لا يصلح الرابط إلا مرة واحدة وتنتهي صلاحيته قريباً.
forgot-sent-only-verified = لا تصل هذه الرسالة إلا إلى العناوين والأرقام التي تم التحقق منها. لم يصلك شيء بعد بضع دقائق؟ انظر في الرسائل غير المرغوب فيها، أو أعد المحاولة.
forgot-again = طلب رابط أو رمز جديد
forgot-identifier-missing = أدخل البريد الإلكتروني أو رقم الهاتف الخاص بحسابك.

## Reset
reset-title = اختيار كلمة مرور جديدة
reset-code-sent = إذا كان هناك حساب بهذا الرقم، فرسالة نصية برمز في الطريق إليه.
reset-lead-code = أدخل رقم هاتف حسابك والرمز الذي وصلك في رسالة نصية وكلمة مرورك الجديدة.
reset-lead-link = اختر كلمة مرورك الجديدة. سيتم تسجيل خروجك من كل مكان، ثم تسجل الدخول بهذه الكلمة.
reset-submit = حفظ كلمة المرور الجديدة
reset-phone-missing = أدخل رقم هاتف حسابك.
reset-rule-password-reset-invalid = هذا الرابط أو الرمز لم يعد صالحاً: سبق استعماله أو انتهت صلاحيته أو هو غير صحيح. اطلب واحداً جديداً.
reset-code-invalid = هذا الرمز غير صحيح أو سبق استعماله أو انتهت صلاحيته. تحقق منه أو اطلب رمزاً جديداً.
reset-done-title = تم تغيير كلمة مرورك
reset-done-signed-out = تم تسجيل خروجك من كل مكان، من هذا الجهاز ومن غيره.
reset-done-lead = سجّل الدخول بكلمة مرورك الجديدة.
reset-done-sign-in = تسجيل الدخول

## Change password
password-title = تغيير كلمة المرور
password-lead = لأمانك، أدخل أولاً كلمة مرورك الحالية. سيتم تسجيل الخروج من جميع جلساتك الأخرى، وتبقى متصلاً هنا.
password-submit = تغيير كلمة المرور
password-changed = تم تغيير كلمة مرورك. تم تسجيل الخروج من جميع جلساتك الأخرى، وما زلت متصلاً هنا.
password-wrong-current = كلمة المرور الحالية غير صحيحة.
password-rule-password-wrong = كلمة المرور الحالية غير صحيحة.

## Contact details
contact-title = البريد الإلكتروني والهاتف والرسائل
contact-lead = لا نراسلك إلا على بريد إلكتروني أو رقم هاتف تم التحقق منه. تحقق منهما هنا أو غيّرهما، واختر هل تريد أن تتوصل برسائلنا.
contact-address = العنوان
contact-number = الرقم
contact-state = الحالة
contact-verified = تم التحقق منه
contact-not-verified = لم يتم التحقق منه بعد
contact-email-none = ليس لحسابك بريد إلكتروني.
contact-phone-none = ليس لحسابك رقم هاتف.
contact-send-email = أرسل لي رابط التحقق
contact-send-phone = أرسل لي رمزاً برسالة نصية
contact-confirm-submit = التحقق من رقمي
contact-add-email = إضافة بريد إلكتروني
contact-change-email = تغيير البريد الإلكتروني
contact-add-phone = إضافة رقم هاتف
contact-change-phone = تغيير رقم الهاتف
contact-change-submit = الحفظ وإرسال التحقق
contact-wrong-password = كلمة المرور غير صحيحة.
contact-rule-password-wrong = كلمة المرور غير صحيحة.
contact-rule-contact-missing = ليس لحسابك هذا العنوان بعد: أضفه أولاً.
contact-rule-contact-already-verified = تم التحقق منه من قبل: لا شيء للقيام به.
contact-rule-contact-secret-invalid = هذا الرمز غير صحيح أو سبق استعماله أو انتهت صلاحيته. تحقق منه أو اطلب رمزاً جديداً.
contact-already-exists = لا يمكن استعمال هذا العنوان أو الرقم لحسابك.
field-new_email-label = البريد الإلكتروني الجديد
field-new_email-hint = مثلاً name@example.ma. يجب التحقق منه: نرسل إليه رابطاً.
field-new_email-missing = أدخل البريد الإلكتروني الجديد.
field-new_email-invalid = أدخل بريداً إلكترونياً صحيحاً، مثلاً name@example.ma.
field-email_password-label = كلمة مرورك، للتأكيد
field-email_password-missing = أدخل كلمة مرورك للتأكيد.
field-new_phone-label = رقم الهاتف الجديد
field-new_phone-hint = مثلاً 0612345678. يجب التحقق منه: نرسل إليه رمزاً.
field-new_phone-missing = أدخل رقم الهاتف الجديد.
field-new_phone-invalid = أدخل رقم هاتف مغربياً صحيحاً، مثلاً 0612345678.
field-phone_password-label = كلمة مرورك، للتأكيد
field-phone_password-missing = أدخل كلمة مرورك للتأكيد.
contact-messages-title = التوصل برسائل حول مشاركتك
contact-messages-explain = عندما يُجاب على مقترح، أو تتقدم عريضة وقعتها، أو تتغير دورة تكوينية سجلت فيها، تجد ذلك دائماً في رسائلك على المنصة. وإن شئت، نكتب إليك أيضاً بالبريد الإلكتروني أو برسالة نصية، ولكن فقط على عنوان أو رقم تم التحقق منه. يمكنك تغيير رأيك في أي وقت.
contact-messages-legend = أرغب في التوصل بهذه الرسائل
contact-messages-email = بالبريد الإلكتروني
contact-messages-sms = برسالة نصية
contact-messages-save = حفظ اختياري
contact-done-sent-email = رابط التحقق في الطريق إلى بريدك الإلكتروني. افتحه للتحقق منه.
contact-done-sent-phone = رمز في الطريق إليك برسالة نصية. أدخله أدناه.
contact-done-confirmed = تم التحقق من رقم هاتفك.
contact-done-changed-email = تم تغيير بريدك الإلكتروني. أُرسل إليه رابط التحقق.
contact-done-changed-phone = تم تغيير رقم هاتفك. أُرسل إليه رمز التحقق.
contact-done-messages = تم حفظ اختيارك.

## The emailed link
verify-link-title = التحقق من بريدك الإلكتروني
verify-link-lead = أكّد أن هذا البريد الإلكتروني لك: يمكننا بعد ذلك مراسلتك بشأن مشاركتك، إن شئت.
verify-link-submit = تأكيد بريدي الإلكتروني
verify-link-not-me = لم تطلب شيئاً؟ لا تفعل شيئاً: يبقى البريد غير متحقق منه.
verify-link-failed-title = هذا الرابط لم يعد يعمل
verify-link-invalid = سبق استعمال هذا الرابط أو انتهت صلاحيته أو هو ناقص.
verify-link-ask-again = سجّل الدخول واطلب رابطاً جديداً من صفحة عناوينك.
verify-link-sign-in = تسجيل الدخول لطلب رابط جديد
verify-link-done-title = تم التحقق من بريدك الإلكتروني
verify-link-done = تم: بريدك الإلكتروني متحقق منه.
verify-link-done-lead = يمكنك اختيار التوصل برسائلنا بالبريد الإلكتروني في صفحة عناوينك.
