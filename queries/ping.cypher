// name: ping
// params: none
// returns: ok = 1 when the database answers a read
RETURN 1 AS ok
