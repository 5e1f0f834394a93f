# training-forms

## A signed-in person's training pages (handlers/training_forms.rs)

training-form-register-link = التسجيل في هذه الدورة
training-form-my-registrations = تسجيلاتي في الدورات
training-form-back-to-session = الرجوع إلى صفحة الدورة
training-form-all-sessions = جميع الدورات واللقاءات
training-form-places = المقاعد

training-form-register-title = التسجيل في دورة
training-form-register-already = أنت مسجل في هذه الدورة.
training-form-register-already-waitlisted = أنت مسجل في لائحة انتظار هذه الدورة.
training-form-register-not-open = التسجيل في هذه الدورة غير مفتوح حاليا.
training-form-register-what = ماذا يعني التسجيل
training-form-register-seat = ما زالت هناك مقاعد شاغرة: بعد التسجيل يُحجز لك مقعد في هذه الدورة.
training-form-register-full = جميع المقاعد محجوزة: ستُسجَّل في لائحة الانتظار، وتحصل على مقعد تلقائيا إذا ألغى مشارك تسجيله، حسب ترتيب التسجيل.
training-form-register-attend = تلتزم بحضور أيام الدورة.
training-form-register-check-in = في كل يوم من أيام الدورة، تسجل حضورك بالرمز المعروض في مكان انعقادها.
training-form-register-certificate = إذا حضرت العدد المطلوب من الأيام، تحصل على شهادة حضور يمكن لأي شخص التحقق منها.
training-form-register-cancel = يمكنك إلغاء تسجيلك ما دامت الدورة لم تنعقد، لتحرير مقعدك لشخص آخر.
training-form-register-submit = أسجل في هذه الدورة
training-form-register-submit-waitlist = أسجل في لائحة الانتظار

training-form-registered-title = تم تسجيلك
training-form-registered-body = تم تسجيلك في هذه الدورة، ومقعدك محجوز.
training-form-waitlisted-title = تم تسجيلك في لائحة الانتظار
training-form-waitlisted-body = جميع المقاعد محجوزة. تم تسجيلك في لائحة الانتظار، ورتبتك فيها: { $n }.
training-form-not-registered-title = لست مسجلا في هذه الدورة
training-form-not-registered-body = لا يوجد لك تسجيل نشط في هذه الدورة.
training-form-next-title = ماذا بعد
training-form-next-registered = احضر في أيام الدورة وسجل حضورك بالرمز المعروض في مكان انعقادها. إذا لم تعد تستطيع الحضور، ألغ تسجيلك ليستفيد غيرك من مقعدك.
training-form-next-waitlisted = إذا تحرر مقعد، تحصل عليه تلقائيا حسب ترتيبك، ويظهر ذلك في صفحة تسجيلاتك.

training-form-registrations-title = تسجيلاتي في الدورات
training-form-registrations-none = لم تسجل بعد في أي دورة.
training-form-status-registered = مسجل
training-form-status-attended = حاضر
training-form-status-cancelled = ملغى
training-form-status-waitlisted = في لائحة الانتظار (الرتبة { $n })
training-form-session-held = انعقدت الدورة.
training-form-session-cancelled = أُلغيت الدورة.
training-form-days-attended =
    { $count ->
        [zero] لم يُسجَّل حضورك في أي يوم
        [one] حضرت يوما واحدا
        [two] حضرت يومين
        [few] حضرت { $n } أيام
        [many] حضرت { $n } يوما
       *[other] حضرت { $n } يوم
    }
training-form-evaluated = أرسلت تقييمك لهذه الدورة.
training-form-link-check-in = تسجيل حضوري اليوم
training-form-link-evaluate = تقييم الدورة
training-form-link-certificate = تحميل شهادة الحضور (PDF)
training-form-link-cancel = إلغاء التسجيل
training-form-done-cancelled = تم إلغاء تسجيلك.
training-form-done-checked-in = تم تسجيل حضورك لهذا اليوم.
training-form-done-evaluated = شكرا، تم إرسال تقييمك.
training-form-done-certificate-name = تم تسجيل الاسم الذي سيُطبع على شهادتك. ستتمكن من تحميلها بعد أن تصادق مصالح المجلس على هذا الاسم.

training-form-cancel-title = إلغاء التسجيل
training-form-cancel-what = بعد الإلغاء يتحرر مقعدك، ويحصل عليه أول شخص في لائحة الانتظار. يمكنك التسجيل من جديد ما دام التسجيل مفتوحا، لكن دون ضمان الحصول على مقعد.
training-form-cancel-what-waitlisted = بعد الإلغاء تفقد رتبتك في لائحة الانتظار.
training-form-cancel-submit = ألغي تسجيلي
training-form-cancel-keep = الاحتفاظ بتسجيلي والرجوع إلى تسجيلاتي
training-form-cancel-nothing = ليس لك تسجيل نشط في هذه الدورة، فلا شيء يُلغى.

training-form-check-in-title = تسجيل الحضور
training-form-check-in-intro = أدخل الرمز المكون من 6 أرقام المعروض اليوم في مكان انعقاد الدورة. يتغير الرمز كل بضع دقائق: استعمل الرمز المعروض الآن.
training-form-check-in-submit = أسجل حضوري

training-form-evaluate-title = تقييم الدورة
training-form-evaluate-intro = يساعد تقييمك المجلس على تحسين الدورات المقبلة. لا يُنشر اسمك مع تقييمك.
training-form-evaluate-submit = أرسل التقييم

training-form-certificate-title = شهادة الحضور
training-form-certificate-name-pending = الاسم الذي طلبت طبعه على شهادتك في انتظار مصادقة مصالح المجلس. ستتمكن من تحميل الشهادة بعد المصادقة عليه.
training-form-certificate-name-erased = لم يعد ممكنا تحميل هذه الشهادة لأن الاسم المطبوع عليها حُذف مع حسابك السابق.
training-form-certificate-name-submit = أرسل الاسم

## Registering (form "training-register")

training-register-rule-registration-not-eligible = هذه الدورة مخصصة لفئة أخرى من المشاركين، فلا يمكنك التسجيل فيها.
training-register-rule-session-not-scheduled = لم يعد التسجيل ممكنا: هذه الدورة انعقدت أو أُلغيت.
training-register-rule-registration-not-open = لم يُفتح التسجيل في هذه الدورة بعد.
training-register-rule-registration-closed = أُغلق التسجيل في هذه الدورة.
training-register-already-exists = أنت مسجل من قبل في هذه الدورة.

## Cancelling (form "training-cancel")

training-cancel-rule-session-not-scheduled = لم يعد الإلغاء ممكنا: هذه الدورة انعقدت أو أُلغيت.
training-cancel-rule-registration-cancelled = تسجيلك في هذه الدورة ملغى من قبل.

## Checking in (form "check-in")

check-in-code-label = رمز الحضور
check-in-code-hint = 6 أرقام، مثلا 482913.
check-in-code-missing = أدخل الرمز المعروض في مكان انعقاد الدورة.
check-in-code-invalid = يتكون الرمز من 6 أرقام بالضبط.
check-in-rule-check-in-code-invalid = هذا الرمز غير صحيح. تحقق من الرمز المعروض اليوم في مكان انعقاد الدورة ثم أعد المحاولة.
check-in-rule-check-in-code-expired = انتهت صلاحية هذا الرمز. أدخل الرمز المعروض الآن.
check-in-rule-check-in-not-a-session-day = اليوم ليس من أيام هذه الدورة: يُسجَّل الحضور في أيام انعقادها فقط.
check-in-rule-check-in-not-confirmed = يسجل حضورهم المشاركون الحاصلون على مقعد فقط، وتسجيلك ليس كذلك.
check-in-rule-session-not-scheduled = لم يعد تسجيل الحضور ممكنا: هذه الدورة انعقدت أو أُلغيت.
check-in-too-many = أدخلت رموزا خاطئة كثيرة اليوم. توجه إلى المكلفين بالاستقبال في مكان الدورة ليسجلوا حضورك.
check-in-not-registered = لست مسجلا في هذه الدورة، فلا يمكنك تسجيل حضورك فيها.
check-in-already-exists = حضورك لهذا اليوم مسجل من قبل.

## Evaluating (form "evaluate")

evaluate-satisfaction-legend = ما مدى رضاك عن هذه الدورة؟
evaluate-satisfaction-5 = راض جدا
evaluate-satisfaction-4 = راض
evaluate-satisfaction-3 = متوسط
evaluate-satisfaction-2 = غير راض
evaluate-satisfaction-1 = غير راض إطلاقا
evaluate-satisfaction-missing = اختر درجة رضاك عن الدورة.
evaluate-satisfaction-invalid = اختر إحدى الدرجات المقترحة.
evaluate-comment-label = ملاحظاتك (اختياري)
evaluate-comment-hint = ما الذي أفادك، وما الذي يمكن تحسينه. 2000 حرف على الأكثر.
evaluate-comment-invalid = يجب ألا تتجاوز الملاحظات 2000 حرف.
evaluate-scores-legend = نتائج الاختبارين (اختياري)
evaluate-scores-hint = إذا أجريت اختبارا قبل الدورة وبعدها، أدخل نقطتك من 0 إلى 100.
evaluate-pre_test_score-label = نقطة الاختبار قبل الدورة
evaluate-post_test_score-label = نقطة الاختبار بعد الدورة
evaluate-pre_test_score-invalid = أدخل عددا من 0 إلى 100، أو اترك الخانة فارغة.
evaluate-post_test_score-invalid = أدخل عددا من 0 إلى 100، أو اترك الخانة فارغة.
evaluate-rule-evaluation-not-a-participant = يقيّم الدورة المشاركون الحاصلون على مقعد فيها فقط.
evaluate-rule-evaluation-not-attended = يقيّم الدورة من حضرها فقط، ولم يُسجَّل حضورك في أي يوم منها.
evaluate-rule-evaluation-too-early = يمكنك تقييم الدورة ابتداء من يومها الأخير.
evaluate-rule-session-cancelled = أُلغيت هذه الدورة، فلا يمكن تقييمها.
evaluate-already-exists = أرسلت تقييمك لهذه الدورة من قبل، ولا يمكن إرساله مرة ثانية.

## The certificate (form "certificate-request")

certificate-request-rule-certificate-name-required = هويتك غير مؤكدة لدى المجلس، فلا نعرف اسمك القانوني. اكتب الاسم الذي تريد طبعه على شهادتك: تصادق عليه مصالح المجلس، ثم يمكنك تحميل الشهادة. يمكنك أيضا تأكيد هويتك ببطاقة التعريف الوطنية لدى مصالح المجلس.
certificate-request-rule-certificate-session-not-held = تُسلَّم الشهادات بعد أن يسجل المجلس انعقاد الدورة. أعد المحاولة لاحقا.
certificate-request-rule-certificate-not-a-participant = تُسلَّم الشهادة للمشاركين الحاصلين على مقعد في الدورة فقط.
certificate-request-rule-certificate-attendance-below-threshold = لم تحضر العدد المطلوب من أيام الدورة، فلا يمكن تسليمك شهادة حضور.
certificate-request-already-exists = سُلِّمت لك شهادة من قبل عن هذه الدورة.
certificate-request-certificate_name-label = الاسم المطبوع على الشهادة
certificate-request-certificate_name-hint = اسمك الكامل كما هو مكتوب في بطاقة التعريف الوطنية.
certificate-request-certificate_name-missing = اكتب الاسم الذي تريد طبعه على شهادتك.
certificate-request-certificate_name-invalid = يجب ألا يتجاوز الاسم 200 حرف.
