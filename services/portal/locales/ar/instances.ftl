# A member's consultative instances, and the consultations a member proposes for one.

account-link-instances = هيئاتي الاستشارية
instances-title = هيئاتي الاستشارية
instances-lead = الهيئات الاستشارية التي أنت عضو فيها. يمكن للعضو أن يقترح، باسم هيئته، استشارة في مسألة تدخل في اختصاصها: يوافق عليها موظفو المجلس ثم يفتحونها للعموم، أو يرفضونها مع ذكر السبب.
instances-none = لست عضوا في أي هيئة استشارية. إذا عُيّنت حديثا، فسجّل الخروج ثم ادخل من جديد.
instances-launched = الاستشارات التي اقترحتها الهيئة
instances-launched-none = لم تقترح الهيئة أي استشارة بعد.
instances-rejection = سبب الرفض:
instances-public-page = الصفحة العمومية
instances-proposed = أُرسل اقتراحك. يدرسه موظفو المجلس، وسيظهر قرارهم هنا.
instances-propose-link = اقتراح استشارة
instances-propose-title = اقتراح استشارة
instances-propose-for = باسم الهيئة
instances-propose-lead = العنوان والنص بالعربية والفرنسية مطلوبان. يبقى الاقتراح غير ظاهر للعموم إلى أن يوافق عليه موظفو المجلس ويفتحوه.
instances-propose-send = إرسال الاقتراح
instances-back = العودة إلى هيئاتي
