namespace Cosched.Domains;

/// <summary>The `process` provider: ranks are grouped into VMs (own segment, own cores) but share
/// the host's kernel view. No root needed; an emulation, and it says so.</summary>
internal sealed class ProcessMachines(string job, int count, string? hostSegment) : VirtualMachines(job, count)
{
    public override VmKind Kind => VmKind.Process;
    public override bool IsEmulation => true;

    public override string Describe() =>
        $"{Count} {(Count == 1 ? "VM" : "VMs")} with the process provider (an emulation: ranks are grouped into VMs but not isolated)";

    public override string VmSegmentOnHost(int vm) => $"/dev/shm/cosched-{Job}-vm{vm}";
    public override string VmSegmentInVm(int vm) => VmSegmentOnHost(vm);
    public override string? HostSegmentInVm => hostSegment;

    public override void Dispose()
    {
        for (int vm = 0; vm < Count; vm++) File.Delete(VmSegmentOnHost(vm));
    }
}
