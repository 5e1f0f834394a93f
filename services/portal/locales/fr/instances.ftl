# A member's consultative instances, and the consultations a member proposes for one.

account-link-instances = Mes instances consultatives
instances-title = Mes instances consultatives
instances-lead = Les instances consultatives où vous siégez. Un membre peut proposer, au nom de son instance, une consultation sur une question qui relève de ses attributions : le personnel du Conseil l’approuve, puis l’ouvre au public, ou la refuse en donnant un motif.
instances-none = Vous ne siégez dans aucune instance consultative. Si vous venez d’y être nommé, déconnectez-vous puis reconnectez-vous.
instances-launched = Consultations proposées par l’instance
instances-launched-none = L’instance n’a encore proposé aucune consultation.
instances-rejection = Motif du refus :
instances-public-page = Page publique
instances-proposed = Votre proposition est envoyée. Le personnel du Conseil l’examine ; sa décision s’affichera ici.
instances-propose-link = Proposer une consultation
instances-propose-title = Proposer une consultation
instances-propose-for = Au nom de l’instance
instances-propose-lead = Le titre et le texte en arabe et en français sont requis. La proposition reste invisible du public tant que le personnel du Conseil ne l’a pas approuvée et ouverte.
instances-propose-send = Envoyer la proposition
instances-back = Retour à mes instances
