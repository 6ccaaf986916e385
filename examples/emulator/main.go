// Command emulator shows how to build an emulator of another AWS service on
// a fakests engine: a tiny S3-like object store (GET /bucket/key) that
// authenticates SigV4 requests signed with fakests-issued credentials
// (Engine.Authenticate), authorizes them with IAM's evaluation logic
// (Engine.Authorize), and answers a denial with an encoded authorization
// message that STS's DecodeAuthorizationMessage turns back into JSON.
//
//	go run ./examples/emulator
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests"
)

// objectStore is the emulated service: objects by "bucket/key".
type objectStore struct {
	sts     *fakests.Engine
	objects map[string]string
}

// s3Error is the error document the store answers with.
type s3Error struct {
	XMLName xml.Name `xml:"Error"`
	Code    string
	Message string
}

func (s *objectStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		http.Error(w, "only GET", http.StatusMethodNotAllowed)
		return
	}
	p, err := s.sts.Authenticate(r)
	if err != nil {
		status, code, msg := http.StatusForbidden, "AccessDenied", err.Error()
		if ae, ok := err.(*fakests.AuthError); ok {
			status, code, msg = ae.HTTPStatus(), ae.Code, ae.Message
		}
		writeError(w, status, code, msg)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/")
	d, err := s.sts.Authorize(r.Context(), p, fakests.Request{
		Action:   "s3:GetObject",
		Resource: "arn:aws:s3:::" + path,
	})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "InternalError", err.Error())
		return
	}
	if !d.Allowed {
		writeError(w, http.StatusForbidden, "AccessDenied",
			"Access Denied. Encoded authorization failure message: "+s.sts.EncodeAuthorizationMessage(d))
		return
	}
	body, ok := s.objects[path]
	if !ok {
		writeError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	io.WriteString(w, body)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	xml.NewEncoder(w).Encode(s3Error{Code: code, Message: msg})
}

// get sends a GET signed with creds, as an SDK would, and returns the
// status and body.
func get(client *http.Client, creds aws.Credentials, url string) (int, string) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		log.Fatal(err)
	}
	empty := sha256.Sum256(nil)
	hash := hex.EncodeToString(empty[:])
	req.Header.Set("X-Amz-Content-Sha256", hash)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hash, "s3", "us-east-1", time.Now()); err != nil {
		log.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func main() {
	ctx := context.Background()
	e := fakests.New(fakests.Strict())

	// Alice may assume roles and decode authorization messages; the reader
	// role may read only docs/public/*.
	alice, err := e.CreateUser(fakests.UserSpec{Name: "alice", Policies: []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:DecodeAuthorizationMessage"],"Resource":"*"}]}`,
	}})
	if err != nil {
		log.Fatal(err)
	}
	reader, err := e.CreateRole(fakests.RoleSpec{Name: "reader", Policies: []string{
		`{"Version":"2012-10-17","Statement":[{"Sid":"PublicDocs","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/public/*"}]}`,
	}})
	if err != nil {
		log.Fatal(err)
	}

	store := httptest.NewServer(&objectStore{sts: e, objects: map[string]string{
		"docs/public/hello.txt":  "hello from the emulated object store",
		"docs/private/plans.txt": "top secret",
	}})
	defer store.Close()

	// A real STS client (routed into the engine) gets role credentials.
	stsClient := sts.NewFromConfig(e.Config(alice.Credentials))
	out, err := stsClient.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(reader.ARN), RoleSessionName: aws.String("report-job")})
	if err != nil {
		log.Fatal(err)
	}
	c := out.Credentials
	role := aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey), SessionToken: aws.ToString(c.SessionToken)}
	fmt.Println("signed in as:  ", aws.ToString(out.AssumedRoleUser.Arn))

	status, body := get(store.Client(), role, store.URL+"/docs/public/hello.txt")
	fmt.Printf("GET docs/public/hello.txt  → %d %s\n", status, body)

	status, body = get(store.Client(), role, store.URL+"/docs/private/plans.txt")
	var se s3Error
	if err := xml.Unmarshal([]byte(body), &se); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("GET docs/private/plans.txt → %d %s\n", status, se.Code)
	_, encoded, _ := strings.Cut(se.Message, "Encoded authorization failure message: ")
	fmt.Printf("encoded message: %.48s… (%d characters)\n", encoded, len(encoded))

	decoded, err := stsClient.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(encoded)})
	if err != nil {
		log.Fatal(err)
	}
	js := aws.ToString(decoded.DecodedMessage)
	if i := strings.Index(js, `,"conditions":{"items":[{"key"`); i > 0 {
		js = js[:i] + ",…" // the condition keys are long; show the head
	}
	fmt.Println("decoded:        ", js)

	// Credentials the engine never issued are refused like AWS refuses them.
	status, body = get(store.Client(), aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "x"}, store.URL+"/docs/public/hello.txt")
	_ = xml.Unmarshal([]byte(body), &se)
	fmt.Printf("unknown key                 → %d %s: %s\n", status, se.Code, se.Message)
}
