package main

import (
	"os"
	"os/signal"
	"syscall"
)

// signalNotify relays SIGINT and SIGTERM to c.
func signalNotify(c chan os.Signal) { signal.Notify(c, os.Interrupt, syscall.SIGTERM) }
