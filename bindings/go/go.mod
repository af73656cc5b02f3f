module github.com/space-data-module/space-data-module/bindings/go

go 1.22
