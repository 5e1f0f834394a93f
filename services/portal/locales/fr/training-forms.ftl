# training-forms
