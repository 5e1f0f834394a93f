# imports: the staff console's imports of records kept before the platform.

staff-desk-imports = الاستيراد
staff-desk-imports-about = استيراد الجمعيات وأعضاء الهيئات الاستشارية والدورات المنعقدة قبل المنصة من ملف CSV، بعد فحص يعرض كل سطر فيه خطأ.
staff-imports-title = الاستيراد
staff-imports-lead = سجلات المجلس السابقة للمنصة، مستوردة من ملف CSV. يُوسم كل ما يُستورد بعبارة «سُجّل لاحقا» حيثما ظهر.
staff-imports-how = يُفحص كل ملف أولا كاملا دون كتابة أي شيء: يُعرض كل سطر فيه خطأ مع عموده. الملف الذي فيه سطر واحد خاطئ لا يُكتب منه شيء. استيراد الملف نفسه مرتين لا يغير شيئا: السطر المسجل من قبل يُترك كما هو.
staff-imports-associations-title = الجمعيات
staff-imports-associations-about = سطر لكل جمعية من سجل المجلس، تُعرف برقم وصل إيداعها. تُسجل جمعيةً متحققا منها، دون ممثل.
staff-imports-members-title = أعضاء الهيئات الاستشارية
staff-imports-members-about = سطر لكل عضوية، تُعرف بالهيئة والحساب وتاريخ البداية. يجب أن يكون الحساب موجودا: معرّفه في مكتب الحسابات.
staff-imports-sessions-title = دورات انعقدت قبل المنصة
staff-imports-sessions-about = سطر لكل دورة سابقة مع حضورها: تُسجَّل منعقدة، وتُحتسب لمرحلة برنامجها في الشهر الذي انعقدت فيه، ولا تُفتح أبدا للتسجيل. تُعرف الدورة ببرنامجها ويومها الأول وإقليمها وعنوانها.
staff-imports-column-program_id = معرّف البرنامج (يظهر في عنوان صفحة البرنامج).
staff-imports-column-title_ar = العنوان بالعربية.
staff-imports-column-title_fr = العنوان بالفرنسية.
staff-imports-column-kind = training_session (تكوين) أو regional_meeting (لقاء جهوي) أو forum (منتدى).
staff-imports-column-sessions-province_code = رمز إقليم المكان (مثلا laayoune).
staff-imports-column-address = عنوان المكان.
staff-imports-column-days = اليوم أو الأيام بصيغة YYYY-MM-DD مفصولة بـ « ; »، لا بعد اليوم.
staff-imports-column-start = ساعة البداية HH:MM، كل يوم.
staff-imports-column-end = ساعة النهاية HH:MM، بعد البداية.
staff-imports-column-attended_count = عدد الحاضرين، بحساب أو بدونه (0 أو أكثر).
staff-imports-column-attendee_account_ids = معرّفات حسابات الحاضرين من بينهم مفصولة بـ « ; »: حاضرون كل يوم، ولا يتجاوزون عدد الحاضرين.
staff-imports-columns-caption = أعمدة الملف (يسميها السطر الأول، بأي ترتيب)
staff-imports-column = العمود
staff-imports-column-needed = إلزامي
staff-imports-column-about = المحتوى
staff-imports-required = نعم
staff-imports-optional = لا
staff-imports-column-registration_number = رقم وصل إيداع الجمعية.
staff-imports-column-name_ar = اسمها بالعربية.
staff-imports-column-name_fr = اسمها بالفرنسية.
staff-imports-column-name_en = اسمها بالإنجليزية، إن وُجد.
staff-imports-column-founded_on = تاريخ تأسيسها، بصيغة YYYY-MM-DD.
staff-imports-column-province_code = رمز إقليم مقرها (مثلا laayoune).
staff-imports-column-fields_of_activity = مجالات نشاطها، كلمات قصيرة بأحرف لاتينية صغيرة تفصل بينها «;» (مثلا youth;culture).
staff-imports-column-instance_id = معرّف الهيئة.
staff-imports-column-account_id = معرّف حساب العضو.
staff-imports-column-role = president أو vice_president أو rapporteur أو member.
staff-imports-column-association_registration_number = رقم وصل الجمعية المتحقق منها التي يمثلها العضو، إن كان يمثل جمعية.
staff-imports-column-started_on = بداية العضوية، بصيغة YYYY-MM-DD، ليست في المستقبل.
staff-imports-column-ended_on = نهاية العضوية، بصيغة YYYY-MM-DD، بعد البداية؛ فارغ إن كانت مستمرة.
staff-imports-file-label = ملف CSV ‏(UTF-8)
staff-imports-file-hint = محفوظ من جدول بيانات بصيغة «CSV UTF-8»، والفاصلة فاصلا. حتى 20 000 سطر.
staff-imports-check = فحص الملف
staff-imports-file-missing = اختر ملف CSV.
staff-imports-file-not-text = هذا الملف ليس نصا بترميز UTF-8: احفظه بصيغة «CSV UTF-8».
staff-imports-file-empty = لا سطر في هذا الملف بعد سطر الأعمدة.
staff-imports-file-too-long = في هذا الملف أكثر من { $max } سطر: قسّمه.
staff-imports-file-columns = تنقص السطر الأول هذه الأعمدة: { $columns }.
staff-imports-check-title = فحص الملف
staff-imports-check-summary = لا خطأ في الملف. عدد الأسطر: { $rows }؛ للإضافة: { $created }؛ مسجلة من قبل: { $unchanged }.
staff-imports-problems-title =
    { $count ->
        [zero] لا سطر خاطئ
        [one] سطر واحد خاطئ
        [two] سطران خاطئان
        [few] { $n } أسطر خاطئة
        [many] { $n } سطرا خاطئا
       *[other] { $n } سطر خاطئ
    }
staff-imports-nothing-written = لم يُكتب أي شيء. صحّح هذه الأسطر في الملف، ثم افحصه من جديد.
staff-imports-ready = لم يُكتب أي شيء بعد. يجري الاستيراد على دفعات من 1000 سطر؛ أبق الصفحة مفتوحة حتى النهاية.
staff-imports-run = استيراد
staff-imports-back = اختيار ملف آخر
staff-imports-problem-line = السطر
staff-imports-problem-column = العمود
staff-imports-problem-reason = المشكلة
staff-imports-problem-required = القيمة ناقصة.
staff-imports-problem-invalid = القيمة غير صالحة (الصيغة أو الطول).
staff-imports-problem-unknown = غير موجود في المنصة.
staff-imports-problem-duplicate = يكرر سطرا سابقا من الملف.
staff-imports-problem-future = التاريخ في المستقبل.
staff-imports-problem-before_start = النهاية ليست بعد البداية.
staff-imports-problem-overlap = يتداخل مع عضوية أخرى لهذا العضو في هذه الهيئة.
staff-imports-problem-president_taken = للهيئة رئيس آخر في هذه التواريخ.
staff-imports-problem-not_verified = هذه الجمعية غير متحقق منها.
staff-imports-run-title = استيراد الملف
staff-imports-run-intro = عدد الأسطر: { $rows }؛ عدد الدفعات: { $batches }. تظهر أدناه كل دفعة مستوردة؛ أبق الصفحة مفتوحة حتى النهاية.
staff-imports-run-step = استُوردت الدفعة { $done } من { $total }
staff-imports-run-done = انتهى الاستيراد. عدد الأسطر: { $rows }؛ أُضيف: { $created }؛ مسجلة من قبل: { $unchanged }.
staff-imports-run-failed = توقف الاستيراد. الدفعات المستوردة مسجلة؛ استورد الملف نفسه من جديد لإتمامه.
staff-imports-run-refused = في الملف أسطر خاطئة: لم يُكتب أي شيء.
recorded-after-the-fact = سُجّل لاحقا
session-recorded-attended =
    { $count ->
        [0] لم يحضر أحد
        [one] حضر شخص واحد
        [two] حضر شخصان
        [few] حضر { $n } أشخاص
        [many] حضر { $n } شخصا
       *[other] حضر { $n } شخص
    }
