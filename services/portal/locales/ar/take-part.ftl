# take-part: answering a consultation's survey, proposing, supporting, commenting, reporting.

## Links on the public consultation page
take-part-link-answer = الإجابة على الاستمارة
take-part-link-propose = تقديم مقترح
take-part-link-support = دعم هذا المقترح
take-part-link-comment = إضافة تعليق
take-part-link-report = الإبلاغ
take-part-comments = التعليقات
take-part-no-comments = لا توجد تعليقات حالياً.
take-part-comment-hidden = هذا التعليق محجوب في انتظار مراجعته من طرف أحد المشرفين.
take-part-comment-date = نُشر في { $date }

## Shared
take-part-consultation = الاستشارة:
take-part-back = الرجوع إلى الاستشارة
take-part-closed = هذه الاستشارة لم تعد مفتوحة، ولم يعد بالإمكان المشاركة فيها.

## Answering the survey
take-part-answer-title = الإجابة على الاستمارة
take-part-answer-lead = يمكنك تعديل إجابتك ما دامت الاستشارة مفتوحة. الأسئلة التي تحمل عبارة «إجباري» وحدها يجب الإجابة عليها.
take-part-answer-no-survey = لا تتضمن هذه الاستشارة استمارة.
take-part-answer-submit = إرسال إجابتي
take-part-answer-change = حفظ التعديلات
take-part-answer-saved = تم تسجيل إجابتك. يمكنك تعديلها ما دامت الاستشارة مفتوحة.
take-part-answer-saved-until = تم تسجيل إجابتك. يمكنك تعديلها إلى غاية { $date }.
take-part-answer-scale-hint = اختر قيمة من { $min } إلى { $max }.
take-part-answer-several-hint = يمكنك اختيار أكثر من إجابة.
take-part-answer-choose-one = اختر إجابة.
take-part-answer-choose-some = اختر إجابة واحدة على الأقل.
take-part-answer-write = اكتب إجابتك.
take-part-answer-choice-invalid = اختر من بين الإجابات المقترحة.
take-part-answer-scale-invalid = هذه القيمة خارج السلّم: اختر من { $min } إلى { $max }.
take-part-answer-text-too-long = يجب ألا تتجاوز إجابتك 5.000 حرف.
take-part-answers-invalid = أجب على سؤال واحد على الأقل.
take-part-question_id-invalid = لم يعد هذا السؤال ضمن الاستمارة. أعد تحميل الصفحة.
take-part-q-invalid = هذه الإجابة غير صالحة.

## Proposing
take-part-propose-title = تقديم مقترح
take-part-propose-lead = يُنشر مقترحك في صفحة الاستشارة، ويمكن لغيرك دعمه. إذا بلغ عدد الداعمين العتبة المحددة، وجب على المجلس دراسته والرد عليه.
take-part-propose-submit = نشر مقترحي
take-part-propose-sent = تم نشر مقترحك.
take-part-propose-see = عرض المقترح في صفحة الاستشارة
take-part-propose-another = تقديم مقترح آخر
field-proposal_title-label = عنوان المقترح
field-proposal_title-hint = في جملة قصيرة، لا تتجاوز 200 حرف.
field-proposal_body-label = مقترحك
field-proposal_body-hint = اشرح ما تقترحه وسبب ذلك.
take-part-proposal_title-missing = أدخل عنواناً لمقترحك.
take-part-proposal_title-invalid = يجب ألا يتجاوز العنوان 200 حرف.
take-part-proposal_body-missing = اكتب نص مقترحك.
take-part-proposal_body-invalid = يجب ألا يتجاوز المقترح 10.000 حرف.

## Supporting a proposal
take-part-support-title = دعم مقترح
take-part-support-lead = يُحتسب دعمك مرة واحدة فقط، ويساعد المقترح على بلوغ العتبة التي يجب على المجلس بعدها دراسته.
take-part-support-submit = دعم هذا المقترح
take-part-support-already = أنت تدعم هذا المقترح من قبل.

## Commenting
take-part-comment-title = التعليق على الاستشارة
take-part-comment-lead = تعليقك علني. التزم باللباقة: يُحجب التعليق الذي يبلّغ عنه عدة أشخاص في انتظار مراجعته من طرف أحد المشرفين.
take-part-comment-submit = نشر تعليقي
take-part-comment-sent = تم نشر تعليقك، وسيظهر في صفحة الاستشارة بعد لحظات.
field-comment_body-label = تعليقك
field-comment_body-hint = لا يتجاوز 5.000 حرف.
take-part-comment_body-missing = اكتب تعليقك.
take-part-comment_body-invalid = يجب ألا يتجاوز التعليق 5.000 حرف.

## Reporting a comment
take-part-report-title = الإبلاغ عن تعليق
take-part-report-comment = التعليق
take-part-report-lead = أبلغ عن كل تعليق مسيء أو تمييزي أو خارج الموضوع أو يكشف معطيات شخصية، وسيتولى أحد المشرفين مراجعته.
take-part-report-submit = الإبلاغ عن هذا التعليق
take-part-report-sent = شكراً لك. تم تسجيل بلاغك، وسيراجع أحد المشرفين هذا التعليق.
take-part-report-already = سبق لك أن أبلغت عن هذا التعليق.
field-report_reason-label = لماذا تبلّغ عن هذا التعليق؟
field-report_reason-hint = لا يتجاوز 500 حرف.
take-part-report_reason-missing = اذكر سبب إبلاغك عن هذا التعليق.
take-part-report_reason-invalid = يجب ألا يتجاوز السبب 500 حرف.

## What the consultation service may refuse
take-part-rule-consultation-not-open = هذه الاستشارة غير مفتوحة، ولا يمكن المشاركة فيها حالياً.
take-part-rule-consultation-audience = هذه الاستشارة مخصصة لفئة أخرى (الجمعيات أو أعضاء إحدى الهيئات الاستشارية)، ولا يمكنك المشاركة فيها.
take-part-rule-consultation-verified-only = هذه الاستشارة مخصصة للأشخاص الذين تحقق موظفو المجلس من هويتهم. يمكنك التحقق من حسابك بتقديم بطاقتك الوطنية في أحد شبابيك المجلس.
take-part-rule-proposal-association-representative = لا يمكن تقديم مقترح باسم جمعية إلا من طرف من يمثلها.
take-part-already-exists = سبق القيام بذلك.
