# certificate
