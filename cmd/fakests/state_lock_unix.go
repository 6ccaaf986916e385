//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockState takes an exclusive lock on FILE.lock for as long as the server
// runs, so that two servers never write one state file; it returns the
// lock's file, to close at the end.
func lockState(path string) (*os.File, error) {
	name := path + lockSuffix
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("state file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("state file %s is in use by another fakests serve (%s is locked)", path, name)
		}
		return nil, fmt.Errorf("state file %s: locking %s: %w", path, name, err)
	}
	return f, nil
}
