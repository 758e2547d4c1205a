je suis très fatigué .
elle lit un livre .
nous devons partir maintenant .
le chat dort sur le lit .
je ne sais pas quoi faire .
il pleut aujourd'hui .
