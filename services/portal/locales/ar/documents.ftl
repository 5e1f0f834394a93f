# Staff console: the documents attached to a consultation, a petition, an opinion or a session.

staff-documents-title = الوثائق المرفقة
staff-documents-link = الوثائق المرفقة (إرفاق، سحب)
staff-documents-of-consultation = الاستشارة:
staff-documents-of-petition = العريضة:
staff-documents-of-opinion = رأي الهيئة:
staff-documents-of-session = الدورة:
staff-documents-back-consultation = العودة إلى الاستشارة
staff-documents-back-petition = العودة إلى العريضة
staff-documents-back-opinion = العودة إلى الرأي
staff-documents-back-session = العودة إلى الدورات
staff-documents-attached = الوثائق المرفقة حاليا
staff-documents-none = لا توجد أي وثيقة مرفقة حاليا.
staff-documents-remove = سحب
staff-documents-add = إرفاق وثيقة
staff-documents-file-label = الملف
staff-documents-file-hint = ملف PDF أو صورة PNG أو JPEG أو مستند OpenDocument أو Office ‏(DOCX وXLSX وPPTX)، حجمه { $max } على الأكثر. يُعرف النوع من محتوى الملف لا من اسمه. تصبح الوثيقة علنية متى كان ما أُرفقت به علنيا.
staff-documents-file-missing = اختر الملف المراد إرفاقه.
staff-documents-file-too-large = هذا الملف كبير جدا: الحجم الأقصى { $max }.
staff-documents-file-invalid = هذا الملف غير مقبول: أرفق ملف PDF أو صورة PNG أو JPEG أو مستند OpenDocument أو Office.
staff-documents-added = أُرفقت الوثيقة.
staff-documents-removed = سُحبت الوثيقة.
