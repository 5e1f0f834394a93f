## The consultations desk of the staff console.

staff-desk-consultations = الاستشارات
staff-desk-consultations-about = إعداد استشارة بالعربية والفرنسية وأسئلتها، وفتحها وإغلاقها ونشر خلاصتها؛ وقراءة النتائج والأجوبة الحرة.
staff-consultations-title = الاستشارات
staff-consultations-intro = المسودات أولا؛ اختر حالة أخرى لرؤية باقي الاستشارات.
staff-consultations-new = إعداد استشارة جديدة
staff-consultations-state-label = الحالة
staff-consultations-show = عرض
staff-consultations-none = لا توجد استشارة في هذه الحالة.
staff-consultations-state-draft = المسودات
staff-consultations-state-open = المفتوحة
staff-consultations-state-closed = المغلقة في انتظار الخلاصة
staff-consultations-state-answered = المنشورة خلاصتها
staff-consultations-state-all = الكل
staff-consultations-state-proposed = مقترحة من هيئة
staff-consultations-state-rejected = اقتراحات مرفوضة
staff-consultation-new-title = إعداد استشارة
staff-consultation-edit-title = تعديل المسودة
staff-consultation-title = استشارة
staff-consultation-form-intro = العنوان والنص مطلوبان بالعربية والفرنسية. تبقى المسودة قابلة للتعديل حتى فتحها.
staff-consultation-field-title = العنوان
staff-consultation-language-zgh = الأمازيغية (اختيارية)
staff-consultation-language-zgh-hint = بحروف تيفيناغ. إذا تُركت فارغة، لا تكون للاستشارة نسخة بالأمازيغية.
staff-consultation-field-body = نص التقديم
staff-consultation-field-organizer = الجهة المنظمة
staff-consultation-organizer-council = المجلس
staff-consultation-organizer-instance = هيئة استشارية
staff-consultation-organizer-instance-is = الهيئة الاستشارية { $id }
staff-consultation-field-instance = معرف الهيئة الاستشارية
staff-consultation-field-instance-hint = فقط إذا كانت هيئة هي التي تنظم الاستشارة.
staff-consultation-field-audience = الجمهور
staff-consultation-field-provinces = الأقاليم
staff-consultation-field-provinces-hint = إن لم تختر أي إقليم: الجهة كلها.
staff-consultation-whole-region = الجهة كلها
staff-consultation-field-participation = من يمكنه المشاركة
staff-consultation-participation-default = الاختيار المعتاد للجهة
staff-consultation-participation-any_account = كل شخص مسجل
staff-consultation-participation-verified_only = فقط الأشخاص الذين تم التحقق من هويتهم
staff-consultation-create = حفظ المسودة
staff-consultation-save = حفظ التعديلات
staff-consultation-edit = تعديل المسودة
staff-back-to-consultations = العودة إلى الاستشارات
staff-back-to-consultation = العودة إلى الاستشارة
staff-consultation-title_ar-invalid = اكتب العنوان بالعربية (200 حرف على الأكثر).
staff-consultation-title_fr-invalid = اكتب العنوان بالفرنسية (200 حرف على الأكثر).
staff-consultation-body_ar-invalid = اكتب النص بالعربية.
staff-consultation-body_fr-invalid = اكتب النص بالفرنسية.
staff-consultation-title_zgh-invalid = اكتب العنوان الأمازيغي بحروف تيفيناغ (300 حرف على الأكثر)، أو اتركه فارغًا.
staff-consultation-body_zgh-invalid = اكتب النص الأمازيغي بحروف تيفيناغ، أو اتركه فارغًا.
staff-consultation-organizer-invalid = اختر الجهة المنظمة للاستشارة.
staff-consultation-instance_id-invalid = أدخل معرف هيئة استشارية موجودة.
staff-consultation-audience-invalid = اختر جمهور الاستشارة.
staff-consultation-provinces-invalid = اختر أقاليم من الجهة.
staff-consultation-participation-invalid = اختر من يمكنه المشاركة.
staff-consultation-done-created = حُفظت المسودة. أضف إليها أسئلة ثم افتحها.
staff-consultation-done-saved = حُفظت التعديلات.
staff-consultation-done-question = أضيف السؤال.
staff-consultation-done-opened = فُتحت الاستشارة: يمكن للعموم الإجابة عنها.
staff-consultation-done-closed = أُغلقت الاستشارة. انشر خلاصتها.
staff-consultation-done-answered = نُشرت الخلاصة.
staff-consultation-done-refused = هذا ممكن فقط ما دامت الاستشارة مسودة. لم يتغير شيء.
staff-consultation-done-approved = تمت الموافقة على الاقتراح: أصبح مسودة. أضف إليها أسئلة ثم افتحها.
staff-consultation-done-rejected = رُفض الاقتراح. تطلع الهيئة على سبب الرفض.
staff-consultation-approve = الموافقة على الاقتراح
staff-consultation-approve-hint = تقترح الهيئة هذه الاستشارة في نطاق اختصاصها. بعد الموافقة تصبح مسودة تكملها وتفتحها كغيرها.
staff-consultation-reject = رفض الاقتراح
staff-consultation-field-reason = سبب الرفض
staff-consultation-field-reason-hint = يطلع عليه أعضاء الهيئة؛ 2000 حرف على الأكثر.
staff-consultation-reason-missing = اذكر سبب الرفض.
staff-consultation-reason-invalid = يجب ألا يتجاوز السبب 2000 حرف.
staff-consultation-rejection = سبب الرفض
staff-consultation-rule-consultation-not-draft = هذا ممكن فقط ما دامت الاستشارة مسودة. لم يتغير شيء.
staff-consultation-rule-consultation-transition = الاستشارة ليست في الحالة التي تسمح بذلك. لم يتغير شيء.
staff-consultation-rule-consultation-too-many-questions = بلغت الاستشارة العدد الأقصى من الأسئلة.
staff-consultation-synthesis = الخلاصة
staff-consultation-questions = الأسئلة والنتائج
staff-consultation-no-questions = لا أسئلة حتى الآن.
staff-consultation-responses =
    { $count ->
        [zero] لا إجابة
        [one] إجابة واحدة
        [two] إجابتان
        [few] { $n } إجابات
       *[other] { $n } إجابة
    }
staff-consultation-answered =
    { $count ->
        [zero] لم يجب أحد
        [one] أجاب شخص واحد
        [two] أجاب شخصان
        [few] أجاب { $n } أشخاص
       *[other] أجاب { $n } شخصا
    }
staff-consultation-count = { $option }: { $count }
staff-consultation-required = الإجابة إلزامية
staff-consultation-kind-single_choice = اختيار واحد
staff-consultation-kind-multiple_choice = اختيار متعدد
staff-consultation-kind-scale = سلم تقييم
staff-consultation-kind-free_text = إجابة حرة
staff-consultation-free-text = قراءة الأجوبة الحرة
staff-consultation-csv = تنزيل الأجوبة الحرة (CSV)
staff-consultation-add-question = إضافة السؤال
staff-consultation-field-kind = نوع السؤال
staff-consultation-field-prompt-ar = السؤال بالعربية
staff-consultation-field-prompt-fr = السؤال بالفرنسية
staff-consultation-options-hint = لسؤال اختيار: جواب ممكن في كل سطر، من 2 إلى 30، بالترتيب نفسه في اللغتين.
staff-consultation-field-options-ar = الأجوبة الممكنة بالعربية
staff-consultation-field-options-fr = الأجوبة الممكنة بالفرنسية
staff-consultation-scale-hint = لسلم تقييم: حداه، بين ‎-100 و100.
staff-consultation-field-scale-min = أصغر قيمة
staff-consultation-field-scale-max = أكبر قيمة
staff-consultation-kind-invalid = اختر نوع السؤال.
staff-consultation-prompt_ar-invalid = اكتب السؤال بالعربية.
staff-consultation-prompt_fr-invalid = اكتب السؤال بالفرنسية.
staff-consultation-options_ar-invalid = لسؤال الاختيار من 2 إلى 30 جوابا ممكنا، كل منها مكتوب باللغتين؛ ولا أجوبة للأسئلة الأخرى.
staff-consultation-options-mismatch = اكتب بالفرنسية عدد الأجوبة الممكنة نفسه المكتوب بالعربية، بالترتيب نفسه.
staff-consultation-scale_max-invalid = يجب أن تفوق أكبر قيمة أصغرها، وكلتاهما بين ‎-100 و100؛ ولا حدود للأسئلة الأخرى.
staff-consultation-open = فتح الاستشارة
staff-consultation-field-closes-on = آخر يوم للاستشارة
staff-consultation-field-closes-on-hint = تبقى مفتوحة حتى نهاية هذا اليوم (بالتوقيت العالمي).
staff-consultation-closes_on-invalid = اختر آخر يوم في المستقبل.
staff-consultation-close = إغلاق الاستشارة
staff-consultation-close-hint = لن يتمكن أحد من الإجابة بعد ذلك؛ ثم تنشر الخلاصة.
staff-consultation-answer = نشر الخلاصة
staff-consultation-field-synthesis-ar = الخلاصة بالعربية
staff-consultation-field-synthesis-fr = الخلاصة بالفرنسية
staff-consultation-synthesis_ar-invalid = اكتب الخلاصة بالعربية.
staff-consultation-synthesis_fr-invalid = اكتب الخلاصة بالفرنسية.
staff-consultation-answers-title = الأجوبة الحرة
staff-consultation-answers-intro = الأجوبة الحرة من الأقدم إلى الأحدث. لا يُشار إلى الشخص إلا بمعرف مجهول، هو نفسه لكل أجوبته.
staff-consultation-answers-none = لا أجوبة حرة حتى الآن.
staff-consultation-answers-respondent = المجيب
staff-consultation-answers-question = السؤال
staff-consultation-answers-text = الجواب
staff-consultation-answers-date = التاريخ
