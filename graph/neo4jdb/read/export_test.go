package read

// SetBoundLastHop switches lastHop on or off (off: the last hop is read
// whole, as every other hop) and returns the function that restores it.
func SetBoundLastHop(on bool) (restore func()) {
	was := boundLastHop
	boundLastHop = on
	return func() { boundLastHop = was }
}
