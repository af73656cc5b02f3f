module github.com/space-data-module/space-data-module/runtime-matrix/go

go 1.22

require github.com/space-data-module/space-data-module/bindings/go v0.0.0

replace github.com/space-data-module/space-data-module/bindings/go => ../../bindings/go
