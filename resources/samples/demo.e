i am very tired .
she is reading a book .
we have to leave now .
the cat is sleeping on the bed .
i don't know what to do .
it's raining today .
