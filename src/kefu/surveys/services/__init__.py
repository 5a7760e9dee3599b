"""Survey writes, one function per change, each in its own transaction (a savepoint inside a
request's): templates, rounds and their invitations, answers, improvement actions, the schedule."""
