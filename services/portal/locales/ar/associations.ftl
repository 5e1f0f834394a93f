# associations
