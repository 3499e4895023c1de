// kube-assay's stand-in for aws/amazon-ec2-metadata-mock, which the Go module proxy our machines
// reach does not serve. Standard library only, so it builds anywhere the Go toolchain does.
module kube-assay.local/testbed/imds-mock

go 1.26.0
