namespace Cosched.Domains;

/// <summary>The `process` provider: ranks are grouped into VMs (own segment, own cores) but share
/// the host's kernel view. No root needed; an emulation, and it says so.</summary>
internal sealed class ProcessMachines(string job, int count, string?[] hostSegmentOfVm) : VirtualMachines(job, count)
{
    public override VmKind Kind => VmKind.Process;
    public override bool IsEmulation => true;

    public override string Describe() =>
        $"{Count} {(Count == 1 ? "VM" : "VMs")} with the process provider (an emulation: ranks are grouped into VMs but not isolated)";

    public override string VmSegmentOnHost(int vm) => $"/dev/shm/cosched-{Job}-vm{vm}";
    public override string VmSegmentInVm(int vm) => VmSegmentOnHost(vm);
    public override string? HostSegmentInVm(int vm) => hostSegmentOfVm[vm];

    /// <summary>Nothing to isolate: the ranks open the destination's segment by its path on the host
    /// (the launcher re-pins their threads to the destination's cores).</summary>
    public override string MoveVm(int vm, int[] cores, string? hostSegment)
    {
        hostSegmentOfVm[vm] = hostSegment;
        return "process provider (an emulation): the ranks are re-pinned and open the destination's host segment by path; processes and memory stay where they are";
    }

    public override void Dispose()
    {
        for (int vm = 0; vm < Count; vm++) File.Delete(VmSegmentOnHost(vm));
    }
}
