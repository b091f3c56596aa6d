from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from medpath.accounts.forms import ProfileForm


@login_required
def profile(request):
    """Edit display name and time zone; thin: the form validates, the service writes."""
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and form.save() is not None:
        messages.success(request, "Your profile is saved.")
        return redirect("account_profile")
    status = 400 if form.errors else 200
    return render(request, "account/profile.html", {"form": form}, status=status)
