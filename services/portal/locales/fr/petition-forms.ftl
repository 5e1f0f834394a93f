# petition-forms
