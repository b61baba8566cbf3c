using Switchboard.Canonical;
using Switchboard.Pipeline;

namespace Switchboard.Tenancy;

/// <summary>
/// Whether a caller's key may use a model (its public name, after alias resolution): the one rule the admit stage,
/// <c>count_tokens</c> and the model list share. Keys from configuration and open mode may use every model.
/// </summary>
public static class ModelPermission
{
    public static bool Allows(ICaller? caller, string model) =>
        caller is not KeyCaller { Stored: { } stored } || stored.AllowsModel(model);

    /// <summary>Throws 403 <c>permission_error</c> when the caller's key may not use <paramref name="model"/>.</summary>
    public static void Check(ICaller? caller, string model)
    {
        if (!Allows(caller, model))
        {
            throw new ApiException(new ApiError(ApiErrorKind.Permission, $"This API key does not have permission to use model '{model}'") { Param = "model" });
        }
    }
}
