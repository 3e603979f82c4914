from django.shortcuts import render


def directory(request):  # permission: public (placeholder until the community app lands)
    return render(request, "ui/home.html")


def organisations(request):  # permission: public (placeholder until the community app lands)
    return render(request, "ui/home.html")
