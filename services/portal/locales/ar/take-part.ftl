# take-part
