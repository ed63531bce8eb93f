package graph

import (
	"context"
	"testing"
	"time"

	"github.com/vikstrous/dataloadgen"
)

// TestListLoaderAnswersEmptyForKeysWithoutRows: a key the fetch found no
// rows for loads as an empty list, not as dataloadgen's "not found", and
// a fetch that answers no map at all is no exception.
func TestListLoaderAnswersEmptyForKeysWithoutRows(t *testing.T) {
	for name, fetch := range map[string]func(context.Context, []string) (map[string][]int, error){
		"some rows": func(context.Context, []string) (map[string][]int, error) { return map[string][]int{"a": {1}}, nil },
		"no map":    func(context.Context, []string) (map[string][]int, error) { return nil, nil },
	} {
		l := dataloadgen.NewMappedLoader(listFetch(fetch), dataloadgen.WithWait(time.Millisecond))
		got, err := l.Load(context.Background(), "b")
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("%s: a key without rows loads as %#v, %v", name, got, err)
		}
	}
}
