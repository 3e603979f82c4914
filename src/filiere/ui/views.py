from django.shortcuts import render


def home(request):  # permission: public
    return render(request, "ui/home.html")
