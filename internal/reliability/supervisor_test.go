package reliability_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// orphanLimit is how soon after its owner's (or supervisor's) death the
// supervisor and the JVM must be gone: the owner watch polls every
// second, then Neo4j shuts down cleanly.
const orphanLimit = 30 * time.Second

// TestSupervisorFollowsItsOwner: the supervisor of `scripts/neo4j.sh start
// --supervise` must not outlive whoever started it, nor the JVM the
// supervisor (issue 15: `make run` killed with SIGKILL left a supervisor
// restarting Neo4j for ever).
//
//   - owner killed: a shell (as `make run`'s scripts/run.sh) starts Neo4j
//     supervised and stays; SIGKILL to the shell must end the supervisor
//     and its JVM.
//   - supervisor killed: SIGKILL to the supervisor itself must end its JVM
//     (the JVM runs with a parent-death signal).
func TestSupervisorFollowsItsOwner(t *testing.T) {
	if testing.Short() {
		t.Skip("starts its own Neo4j twice; skipped with -short")
	}
	n := newNeo4j(t, true)

	t.Run("owner killed", func(t *testing.T) {
		uriFile := filepath.Join(t.TempDir(), "uri")
		// The shell runs the start (so it is the supervisor's owner, the
		// caller of start) and then stays, as sleep.
		owner := exec.Command("bash", "-c", `"$@" >"$URI_FILE" || exit 1; exec sleep 600`, "owner", n.script)
		owner.Args = append(owner.Args, n.startArgs()...)
		owner.Env = append(n.env(), "URI_FILE="+uriFile)
		var stderr bytes.Buffer
		owner.Stderr = &stderr
		if err := owner.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- owner.Wait() }()
		defer func() {
			_ = owner.Process.Kill()
			<-exited
		}()
		for deadline := time.Now().Add(neo4jStartLimit); ; {
			if b, _ := os.ReadFile(uriFile); len(bytes.TrimSpace(b)) > 0 {
				break
			}
			select {
			case err := <-exited:
				exited <- err
				t.Fatalf("the owner shell ended (%v) before Neo4j was ready: %s", err, stderr.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("Neo4j not ready within %s", neo4jStartLimit)
			}
			time.Sleep(100 * time.Millisecond)
		}
		sup, jvm := n.supervisorPid(t), n.jvmPid(t)
		if !alive(sup) || !alive(jvm) {
			t.Fatalf("supervisor %d alive %v, JVM %d alive %v, before the kill", sup, alive(sup), jvm, alive(jvm))
		}
		if want := fmt.Sprintf("watching owner pid(s) %d", owner.Process.Pid); !strings.Contains(n.events(), want) {
			t.Fatalf("the supervisor does not say %q:\n%s", want, n.events())
		}
		if err := owner.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err := <-exited // reaped: a zombie would still look alive to the watch
		exited <- err
		took := waitGone(t, orphanLimit, sup, jvm)
		record(t, "supervisor-owner-killed supervisor_and_jvm_gone_after=%s", took.Round(time.Millisecond))
		if !strings.Contains(n.events(), fmt.Sprintf("owner pid %d is gone", owner.Process.Pid)) ||
			!strings.Contains(n.events(), "stopped: the owner is gone") {
			t.Errorf("the supervisor did not report its owner's death:\n%s", n.events())
		}
	})

	t.Run("supervisor killed", func(t *testing.T) {
		if _, err := n.start(t); err != nil {
			t.Fatal(err)
		}
		sup, jvm := n.supervisorPid(t), n.jvmPid(t)
		if err := syscall.Kill(sup, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		took := waitGone(t, orphanLimit, jvm)
		record(t, "supervisor-killed jvm_gone_after=%s", took.Round(time.Millisecond))
	})
}

// waitGone waits until every pid is gone, at most limit, and returns how
// long that took; it fails the test (and SIGKILLs what is left) past limit.
func waitGone(t *testing.T, limit time.Duration, pids ...int) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		var left []int
		for _, p := range pids {
			if alive(p) {
				left = append(left, p)
			}
		}
		if len(left) == 0 {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			for _, p := range left {
				_ = syscall.Kill(p, syscall.SIGKILL)
			}
			t.Fatalf("pids %v still alive %s after the kill (of %v)", left, limit, pids)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// alive says whether pid is a running process (not gone, not a zombie).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: trust kill
	}
	// pid (comm) state ...: the state follows the last ')'.
	if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) {
		return b[i+2] != 'Z'
	}
	return true
}
