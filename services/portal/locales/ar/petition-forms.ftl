# petition-forms: starting a petition, opening it for signatures, signing, withdrawing.

petition-form-choose = اختر
petition-form-subject-economy = التنمية الاقتصادية والاستثمار
petition-form-subject-employment = التشغيل
petition-form-subject-training = التكوين المهني
petition-form-subject-rural = التنمية القروية
petition-form-subject-transport = النقل الجهوي
petition-form-subject-environment = البيئة
petition-form-subject-water = الماء والطاقة
petition-form-subject-culture = الثقافة والتراث
petition-form-subject-tourism = السياحة
petition-form-subject-sport = الرياضة والشباب
petition-form-subject-social = العمل الاجتماعي

# Public pages
petition-form-sign-link = وقّع هذه العريضة
petition-form-withdraw-link = سحب توقيعي
petition-form-start-link = تقديم عريضة
petition-form-mine-link = عرائضي

# Starting a petition
petition-form-new-title = تقديم عريضة
petition-form-new-lead = اطلب من مجلس الجهة إدراج نقطة تدخل في صلاحياته في جدول أعمال إحدى دوراته. ستكون وكيل العريضة.
petition-form-new-rules = القواعد المعمول بها
petition-form-new-steps = تُسجَّل عريضتك أولا كمسودة لا يراها غيرك. بعد ذلك تفتح باب جمع التوقيعات، ثم تودعها لدى المجلس عند استيفاء الشروط.
petition-form-new-submit = حفظ المسودة
petition-new-kind-label = باسم من تقدم العريضة؟
petition-new-kind-citizen = باسمي، مع مواطنين آخرين
petition-new-kind-association = باسم جمعية أمثلها
petition-new-kind-missing = حدد باسم من تقدم العريضة.
petition-new-kind-invalid = حدد باسم من تقدم العريضة.
petition-form-association-rule-age = أن تكون الجمعية مؤسسة منذ أكثر من { $years } سنوات
petition-form-association-rule-standing = وأن يكون المجلس قد تحقق منها وألا تكون موقوفة
petition-form-association-rule-region = وأن يكون مقرها أو أحد فروعها في الجهة
petition-form-association-rule-activity = وأن يشمل مجال نشاطها موضوع العريضة.
petition-form-no-association = لتقديم عريضة باسم جمعية، سجّلها أولا.
petition-form-register-association = تسجيل جمعية
petition-new-association_id-label = الجمعية
petition-new-association_id-hint = فقط إذا كنت تقدم العريضة باسم جمعية.
petition-new-association_id-missing = اختر الجمعية التي تقدم العريضة باسمها.
petition-new-association_id-invalid = اختر جمعية تمثلها.
petition-new-title-label = عنوان العريضة
petition-new-title-hint = جملة قصيرة، 200 حرف على الأكثر.
petition-new-title-missing = أدخل عنوان العريضة.
petition-new-title-invalid = يجب ألا يتجاوز العنوان 200 حرف.
petition-new-object-label = ما تطلبه من المجلس
petition-new-object-hint = النقطة المطلوب إدراجها في جدول الأعمال وأسبابها، 5.000 حرف على الأكثر. لا يمكن تعديل هذا النص بعد فتح باب جمع التوقيعات.
petition-new-object-missing = صف ما تطلبه من المجلس.
petition-new-object-invalid = يجب ألا يتجاوز النص 5.000 حرف.
petition-new-subject_field-label = مجال اختصاص المجلس
petition-new-subject_field-hint = المجال الذي يندرج فيه طلبك.
petition-new-subject_field-missing = اختر المجال الذي يندرج فيه طلبك.
petition-new-subject_field-invalid = اختر المجال الذي يندرج فيه طلبك.
petition-new-rule-petition-association-representative = أنت لا تمثل هذه الجمعية: لا يقدم عريضة باسمها إلا أحد ممثليها.
petition-new-rule-petition-association-good-standing = لم يتحقق المجلس بعد من هذه الجمعية أو أنها موقوفة: لا يمكنها تقديم عريضة حاليا.
petition-new-rule-petition-association-age = لم يمض على تأسيس هذه الجمعية الأجل المطلوب لتقديم عريضة.
petition-new-rule-petition-association-in-region = ليس لهذه الجمعية مقر ولا فرع في الجهة.
petition-new-rule-petition-association-activity = لا يشمل مجال نشاط هذه الجمعية موضوع العريضة.

# Opening for signatures
petition-form-created = سُجّلت عريضتك كمسودة. لا يراها أحد غيرك ما دمت لم تفتح باب جمع التوقيعات.
petition-form-collect-title = فتح باب جمع التوقيعات
petition-form-petition = العريضة
petition-form-status = الحالة
petition-form-kind = النوع
petition-form-progress = التوقيعات
petition-form-collect-what = ما يحدث عند فتح باب جمع التوقيعات
petition-form-collect-public = تصبح العريضة علنية: يمكن للجميع قراءتها في هذا الموقع.
petition-form-collect-final = لا يمكن بعد ذلك تعديل عنوانها ولا نصها.
petition-form-collect-signers = يمكن لكل من تتوفر فيه الشروط التوقيع عليها؛ ولا يُنشر إلا عدد التوقيعات في كل إقليم، دون أسماء الموقعين.
petition-form-collect-deposit = عند استيفاء الشروط، يمكنك إيداعها لدى المجلس الذي يسلمك وصلا بذلك.
petition-form-collect-submit = فتح باب جمع التوقيعات
petition-form-later = لاحقا: ستجد هذه المسودة في عرائضي
petition-form-collect-already = باب جمع التوقيعات مفتوح بالفعل لهذه العريضة.
petition-form-see-petition = عرض العريضة
petition-collect-rule-petition-transition = لا يُفتح باب جمع التوقيعات إلا لعريضة ما تزال مسودة.

# Signing
petition-form-sign-title = التوقيع على العريضة
petition-form-sign-anyone = يمكن لكل شخص مسجل التوقيع مرة واحدة.
petition-form-who-may-sign = من يحق له التوقيع
petition-form-recorded = ما يُسجَّل عنك
petition-form-recorded-body = حسابك، والإقليم الذي تقيم فيه (أو الذي تصرح بمزاولة نشاطك فيه)، وتاريخ توقيعك. لا يطلع على قائمة الموقعين إلا مصالح المجلس؛ ولا يرى العموم إلا عدد التوقيعات في كل إقليم. يمكنك سحب توقيعك إلى حين إيداع العريضة.
petition-form-your-province = سيُحتسب توقيعك لإقليم: { $province }.
petition-form-unverified = يجب التحقق من هويتك قبل التوقيع على عريضة.
petition-form-how-to-verify = كيف أتحقق من هويتي
petition-form-sign-submit = وقّع هذه العريضة
petition-form-not-collecting = لا تجمع هذه العريضة التوقيعات حاليا.
petition-form-back = الرجوع إلى العريضة
petition-form-signed-title = لقد وقّعت على العريضة
petition-form-signed-body = شكرا لك. سُجّل توقيعك واحتُسب للإقليم الذي تقيم فيه أو تزاول فيه نشاطك.
petition-sign-declared_activity_province_code-label = إذا كنت لا تقيم في الجهة: الإقليم الذي تزاول فيه نشاطك
petition-sign-declared_activity_province_code-hint = نشاط اقتصادي أو تجاري أو مهني، تصرح به على مسؤوليتك.
petition-sign-declared_activity_province_code-invalid = اختر إقليما من أقاليم الجهة.
petition-sign-rule-petition-not-collecting = لا تجمع هذه العريضة التوقيعات حاليا: لا يمكنك التوقيع عليها.
petition-sign-rule-petition-signer-verified = يجب التحقق من هويتك للتوقيع: قدّم بطاقتك الوطنية لمصالح المجلس أو في إحدى نقط الاستقبال، ثم عد للتوقيع.
petition-sign-rule-petition-signer-residence = لا يمكنك التوقيع: يجب أن يقيم الموقعون في الجهة أو يزاولوا فيها نشاطا. إذا كنت تزاول فيها نشاطا، فاختر الإقليم المعني.
petition-sign-already-exists = لقد وقّعت على هذه العريضة من قبل.

# Withdrawing a signature
petition-form-withdraw-title = سحب توقيعك
petition-form-withdraw-body = لن يُحتسب توقيعك بعد الآن لهذه العريضة. يمكنك التوقيع من جديد ما دام باب جمع التوقيعات مفتوحا.
petition-form-withdraw-submit = سحب توقيعي
petition-form-withdraw-closed = لا يمكن سحب التوقيع إلا خلال فترة جمع التوقيعات، قبل إيداع العريضة.
petition-form-withdrawn-title = سُحب توقيعك
petition-form-withdrawn-body = لم يعد يُحتسب لهذه العريضة.
petition-withdraw-not-signed = لم توقّع على هذه العريضة.
petition-withdraw-rule-petition-withdrawal-closed = أودعت هذه العريضة أو لم يعد باب التوقيع عليها مفتوحا: لم يعد ممكنا سحب توقيعك.

# My petitions
petition-form-mine-title = عرائضي
petition-form-mine-none = لم تقدم أي عريضة بعد.
petition-form-mine-draft = مسودة: افتح باب جمع التوقيعات ليتمكن الآخرون من التوقيع عليها.
