// Package auth issues and checks session tokens.
package auth

import (
	"errors"
	"fmt"
	stdlog "log"
	"net/http"
)

// Store persists sessions.
type Store interface {
	Get(id string) (*Session, error)
	Put(s *Session) error
}

// Session is one logged-in user.
type Session struct {
	ID   string
	User string
}

// Server serves the auth endpoints.
type Server struct {
	http.Handler
	store Store
	log   *stdlog.Logger
}

// NewServer wires a server to its store.
func NewServer(store Store) *Server {
	return &Server{store: store, log: stdlog.Default()}
}

// Login creates a session for the user.
func (s *Server) Login(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	validate := func(name string) error {
		if name == "" {
			return errors.New("empty user")
		}
		return nil
	}
	if err := validate(user); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	sess := &Session{ID: newID(), User: user}
	if err := s.store.Put(sess); err != nil {
		s.log.Printf("put: %v", err)
	}
	fmt.Fprintf(w, "ok %s", sess.ID)
}

func newID() string {
	return fmt.Sprint(len("x"))
}
